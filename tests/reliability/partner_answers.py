"""Random partner answers (Hypothesis strategies), the adapters' own readers, and what a
successful read must look like: the material of ``test_parsers_properties``.

The readers are taken from the adapter functions themselves (their ``parse`` argument to the
client), so the property tests run exactly what the worker runs.
"""

import contextlib
import datetime
import json
import math
from dataclasses import dataclass
from unittest import mock

from hypothesis import strategies as st

from bookings.models import Booking
from partners.adapters import base as adapters_base
from partners.adapters import sanar_vaccination, sanar_video, sandicare
from partners.models import Credential, Partner
from partners.money import Money
from partners.responses import MAX_URL_LENGTH

DATE = datetime.date(2030, 1, 2)
BOOKING = Booking(
    reference="BK-000001",
    doctor_id="EMP86190",
    speciality_id="DP34",
    slot_id="S-0900",
    appointment_date=DATE,
    appointment_time="09:00",
    patient_name="Sara Ali",
    mobile="+966501234567",
    email="patient@example.org",
    patient_dob=datetime.date(1990, 5, 17),
    program_id="1002",
    sandicare_service="general_medicine",
    consultation_reason="Fever",
)

# --- strategies ---------------------------------------------------------------------------

huge_ints = st.integers(min_value=10**300, max_value=10**1200) | st.integers(
    min_value=-(10**1200), max_value=-(10**300)
)
too_many_digits = st.integers(min_value=4300, max_value=5000).map(lambda n: "1" + "0" * n)  # past int("…")'s limit
numbers = st.integers() | huge_ints | st.floats() | st.sampled_from([0, -1, 1e308, 1e-320])
texts = (
    st.text(max_size=30)
    | too_many_digits
    | st.from_regex(r"\s*-?[0-9,]{0,12}(\.[0-9]{0,6})?\s*", fullmatch=True)
    | st.sampled_from(["1000", " 1000 ", "١٠٠٠", "SAR 90", "90 SAR", "SAR 1,200.50", "SAR", "true", "2026-04-28"])
    | st.text(max_size=8).map(lambda t: t + "\x00" + t)  # PostgreSQL stores no U+0000
)
urls = (
    st.sampled_from(
        ["https://", "http://", "HTTPS://", "https:", "//", "ftp://", "javascript:", "https://[::1"]
    ).flatmap(lambda scheme: st.text(max_size=40).map(lambda rest: scheme + rest))
    | st.from_regex(r"https://[a-z0-9.-]{1,20}(:[0-9]{1,6})?(/[ -~]{0,30})?", fullmatch=True)
    | st.just("https://" + "a" * MAX_URL_LENGTH)
)
scalars = st.none() | st.booleans() | numbers | texts | urls
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
)


def record(*keys, **special):
    """A JSON object with any of ``keys`` (values at random, or from ``special``) and maybe junk."""
    return st.fixed_dictionaries({}, optional={key: special.get(key, values) for key in keys})


def list_of(item):
    return st.lists(item | values, max_size=4) | item | values


slot = record("slot_id", "time", "available")
doctor = record(
    "doctor_id", "spec_id", "name", "title", "first_name", "last_name", "img", "gender", "rating", "classification",
    "sub_speciality", "lang_spoken", "total_experience", "available_slot", "pay_amount", "license_number",
    "qualifications", img=urls | values, pay_amount=texts | values,
)  # fmt: skip
provider = record("provider_id", "name", "address", "distance_km", "slots", slots=list_of(slot))
INFOS = {
    "sanar_video.specialities": record("specialities", specialities=list_of(record("id", "name"))),
    "sanar_video.doctors": record("doctor", doctor=list_of(doctor)),
    "sanar_video.slots": record("doctor_id", "date", "doctor", "slots", doctor=doctor | values, slots=list_of(slot)),
    "sanar_video.book": record("booking_id", "payment_url", "amount", payment_url=urls, amount=texts),
    "sanar_vaccination.services": record(
        "services", services=list_of(record("id", "name", "price", "currency", "age_group"))
    ),
    "sanar_vaccination.details": record("id", "name", "description", "inclusions", "instructions", "price", "currency"),
    "sanar_vaccination.browse": record("providers", providers=list_of(provider)),
    "sanar_vaccination.book": record(
        "booking_id", "payment_url", "amount", "currency", payment_url=urls, amount=texts | numbers
    ),
    "sandicare.enroll": record("url", "error", "message", url=urls),
}
statuses = st.sampled_from([1000, "1000", 1001, 1002, "1003", 1004, 1005, 5000]) | scalars
http_statuses = st.sampled_from([200, 200, 200, 400, 401, 404, 500, 502, 503]) | st.integers(100, 599)


def sanar_body(info):
    envelope = record("status", "message", "data", status=statuses, data=record("info", info=info | values) | values)
    return envelope.map(json.dumps)


def answers(operation):
    """(HTTP status, body): mostly well-formed answers carrying random data, sometimes junk."""
    info = INFOS[operation]
    shaped = info.map(json.dumps) if operation.startswith("sandicare") else sanar_body(info)
    junk = st.binary(max_size=60) | st.text(max_size=60) | values.map(json.dumps) | st.just(b"\x00{}\x00")
    return st.tuples(http_statuses, shaped | junk)


# --- the adapters' readers, taken from the adapter functions ------------------------------

ADAPTER_CALLS = {
    "sanar_video.specialities": (sanar_video.specialities, {}),
    "sanar_video.doctors": (sanar_video.doctors, {"spec_id": "DP34"}),
    "sanar_video.slots": (sanar_video.slots, {"doctor_id": "EMP86190", "date": DATE}),
    "sanar_video.book": (sanar_video.book, {"booking": BOOKING}),
    "sanar_vaccination.services": (sanar_vaccination.services, {}),
    "sanar_vaccination.details": (sanar_vaccination.details, {"service_id": "VAC-FLU"}),
    "sanar_vaccination.browse": (
        sanar_vaccination.browse,
        {"date": DATE, "location": sanar_vaccination.Location("Riyadh", 24.7, 46.7), "service_ids": ["VAC-FLU"]},
    ),
    "sanar_vaccination.book": (sanar_vaccination.book, {"booking": BOOKING}),
    "sandicare.enroll": (sandicare.enroll, {"booking": BOOKING}),
}
VENDORS = {
    "sanar_video": Partner.Vendor.SANAR,
    "sanar_vaccination": Partner.Vendor.SANAR,
    "sandicare": Partner.Vendor.SANDICARE,
}


def unsaved_credential(operation) -> Credential:
    code = operation.split(".")[0]
    return Credential(
        partner=Partner(code=code, vendor=VENDORS[code], name=code),
        product_code="PRD-KIDS-01",
        program_ids="1001,1002",
    )


def reader(operation):
    """The ``parse`` function the adapter hands to the client for this operation."""
    function, kwargs = ADAPTER_CALLS[operation]
    captured = {}

    def capture(credential, **request):
        captured.update(request)

    module = function.__module__.rsplit(".", 1)[-1]
    adapter = {"sanar_video": sanar_video, "sanar_vaccination": sanar_vaccination, "sandicare": sandicare}[module]
    # Adapters reach the client through base.call / base.signed_call, or names imported from base.
    with contextlib.ExitStack() as patches:
        for owner in (adapters_base, adapter):
            for name in ("call", "signed_call"):
                if hasattr(owner, name):
                    patches.enter_context(mock.patch.object(owner, name, capture))
        function(unsaved_credential(operation), **kwargs)
    return captured["parse"]


@dataclass
class Answer:
    status_code: int
    content: bytes


def as_bytes(body) -> bytes:
    return body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass")


# --- what a successful read must look like --------------------------------------------------


def valid_text(value) -> bool:
    return isinstance(value, str) and value == value.strip() and bool(value)


def valid_money(value) -> bool:
    return value is None or (
        isinstance(value, Money) and value.amount >= 0 and len(value.currency) == 3 and value.currency.isupper()
    )


def valid_float(value) -> bool:
    return value is None or (isinstance(value, float) and math.isfinite(value))


def valid_https(value) -> bool:
    return isinstance(value, str) and value[:8].lower() == "https://" and len(value) <= MAX_URL_LENGTH


def check_result(operation, result) -> None:
    name = operation.split(".")[1]
    if name in ("book", "enroll"):
        assert valid_https(result.url if name == "enroll" else result.payment_url)
        if name == "book":
            assert valid_text(result.booking_id) and valid_money(result.amount)
        return
    if name == "slots":
        assert valid_text(result.doctor_id) and isinstance(result.date, datetime.date)
        items = result.slots
    elif name == "details":
        assert valid_text(result.id) and valid_money(result.price)
        assert all(valid_text(item) for item in result.inclusions + result.instructions)
        return
    else:
        items = result
    assert isinstance(items, list)
    for item in items:
        key = {"doctors": "doctor_id", "browse": "provider_id", "slots": "slot_id"}.get(name, "id")
        assert valid_text(getattr(item, key))
        if name == "doctors":
            assert valid_float(item.rating) and valid_money(item.price) and (item.img is None or valid_https(item.img))
        if name == "browse":
            assert valid_float(item.distance_km) and all(valid_text(s.slot_id) for s in item.slots)
        if name == "slots":
            assert isinstance(item.available, bool)
