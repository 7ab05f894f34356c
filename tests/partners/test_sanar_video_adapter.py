"""Sanar video consultation adapter: shapes pinned by fixtures, every contract outcome per function."""

import datetime
from decimal import Decimal
from functools import partial

import pytest
import responses
from django.forms.models import model_to_dict

from bookings.models import Booking
from partner_simulator import demo_keys
from partners.adapters import sanar_video
from partners.errors import BadResponse, SignatureMismatch
from partners.models import Credential, UpstreamCall
from partners.money import Money
from partners.signing import canonical_json, cmt_signature
from tests.partner_fixtures import partner_fixture
from tests.partners.test_client import SANAR_FAULTS, envelope

BASE = "https://sanar.test/v1"
DATE = datetime.date(2026, 4, 28)


fixture = partial(partner_fixture, "sanar_video")


@pytest.fixture(autouse=True)
def _calls_allowed_in_test_transaction(settings):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False


@pytest.fixture
def mock_http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def booking(sanar_video_credential):
    return Booking.objects.create(
        partner=sanar_video_credential.partner,
        reference="BK-TEST-0001",
        patient_name="Mohammed Al-Otaibi",
        patient_dob=datetime.date(1990, 5, 17),
        patient_gender="Male",
        mobile="+966501234567",
        email="mohammed.otaibi@example.org",
        speciality_id="DP34",
        doctor_id="EMP86190",
        slot_id="S-0900",
        appointment_date=DATE,
        appointment_time="09:00",
    )


# (operation, method, path, signed, call, success fixture)
OPERATIONS = {
    "specialities": (
        "GET",
        "/specialities",
        False,
        lambda c, b: sanar_video.specialities(c),
        "specialities_response.json",
    ),
    "doctors": ("GET", "/doctors", False, lambda c, b: sanar_video.doctors(c, spec_id="DP34"), "doctors_response.json"),
    "slots": (
        "GET",
        "/slots",
        True,
        lambda c, b: sanar_video.slots(c, doctor_id="EMP86190", date=DATE),
        "slots_response.json",
    ),
    "book": ("POST", "/book", True, lambda c, b: sanar_video.book(c, booking=b), "book_response.json"),
}
SIGNED = [name for name, spec in OPERATIONS.items() if spec[2]]
UNSIGNED = [name for name, spec in OPERATIONS.items() if not spec[2]]


def mock(mock_http, operation, **answer):
    method, path, *_ = OPERATIONS[operation]
    mock_http.add(method, BASE + path, **answer)


def run(operation, credential, booking):
    return OPERATIONS[operation][3](credential, booking)


def success_body(operation, status):
    body = fixture(OPERATIONS[operation][4])
    body["status"] = status
    return body


# --- success: the parsed results ---


def test_specialities(mock_http, sanar_video_credential):
    mock(mock_http, "specialities", json=fixture("specialities_response.json"))
    found = sanar_video.specialities(sanar_video_credential)
    assert [(s.id, s.name) for s in found] == [
        ("DP34", "Family Medicine"),
        ("DP12", "Pediatrics"),
        ("DP21", "Dermatology"),
    ]
    assert found[0].raw == {"id": "DP34", "name": "Family Medicine"}


def test_doctors(mock_http, sanar_video_credential):
    mock(mock_http, "doctors", json=fixture("doctors_response.json"))

    prince, noura, yousef = sanar_video.doctors(sanar_video_credential, spec_id="DP34")

    assert mock_http.calls[0].request.url == f"{BASE}/doctors?spec_id=DP34"
    assert prince.doctor_id == "EMP86190" and prince.name == "Dr. Prince George" and prince.title == "Dr."
    assert (prince.first_name, prince.last_name, prince.gender) == ("Prince", "George", "Male")
    assert prince.img == "https://cdn.sanar.example/doctors/EMP86190.jpg"
    assert prince.rating == 4.8 and prince.classification == "Consultant" and prince.sub_speciality == "General"
    assert prince.languages == ["Arabic", "English"]
    assert prince.experience == "10 years of experience" and prince.available_slot == "14:00"
    assert prince.price == Money(amount=Decimal("90"), currency="SAR")
    assert prince.license_number == "SCFHS-86190"
    assert prince.qualifications == ["MBBS", "Saudi Board of Family Medicine"]
    assert prince.raw["national_id"] == "10861900421"  # kept raw, not promoted
    assert noura.img is None  # an http:// image is not shown
    assert noura.rating == 4.6 and noura.price == Money(Decimal("90"), "SAR") and noura.languages == ["Arabic"]
    assert yousef.img is None and yousef.rating is None and yousef.price is None  # "price on request"


def test_doctors_accepts_a_single_object(mock_http, sanar_video_credential):
    doctor = fixture("doctors_response.json")["data"]["info"]["doctor"][0]
    mock(mock_http, "doctors", json=envelope(1000, "ok", {"doctor": doctor}))
    assert [d.doctor_id for d in sanar_video.doctors(sanar_video_credential, spec_id="DP34")] == ["EMP86190"]


def test_slots(mock_http, sanar_video_credential):
    mock(mock_http, "slots", json=fixture("slots_response.json"))

    result = sanar_video.slots(sanar_video_credential, doctor_id="EMP86190", date=DATE)

    assert (result.doctor_id, result.date) == ("EMP86190", DATE)
    assert result.doctor.name == "Dr. Prince George"
    assert [(s.slot_id, s.time, s.available) for s in result.slots] == [
        ("S-0900", "09:00", True),
        ("S-0930", "09:30", False),
        ("S-1000", "10:00", True),
    ]
    request = mock_http.calls[0].request
    assert request.url == f"{BASE}/slots?doctor_id=EMP86190&date=2026-04-28"
    signed = {"date": "2026-04-28", "doctor_id": "EMP86190"}
    assert request.headers["Cmt"] == cmt_signature(signed, secret=demo_keys.SANAR_CMT_SECRET)
    assert request.headers["Authorization"] == demo_keys.SANAR_TOKEN


def test_slots_without_doctor_details(mock_http, sanar_video_credential):
    mock(mock_http, "slots", json=envelope(1000, "ok", {"doctor_id": "EMP86190", "slots": []}))
    result = sanar_video.slots(sanar_video_credential, doctor_id="EMP86190", date=DATE)
    assert result.doctor is None and result.slots == [] and result.date == DATE


def test_book_sends_the_pinned_payload_and_reads_the_confirmation(mock_http, sanar_video_credential, booking):
    mock(mock_http, "book", json=fixture("book_response.json"))
    before = model_to_dict(booking)

    confirmation = sanar_video.book(sanar_video_credential, booking=booking)

    assert sanar_video.book_payload(booking) == fixture("book_request.json")
    request = mock_http.calls[0].request
    assert request.body == canonical_json(fixture("book_request.json")).encode()
    assert request.headers["Cmt"] == cmt_signature(fixture("book_request.json"), secret=demo_keys.SANAR_CMT_SECRET)
    assert confirmation.booking_id == "SNR-BK-100234"
    assert confirmation.payment_url == "https://pay.sanar.example/checkout/SNR-BK-100234"
    assert confirmation.amount == Money(Decimal("90"), "SAR")
    assert confirmation.raw == fixture("book_response.json")["data"]["info"]
    call = UpstreamCall.objects.get()
    assert call.booking == booking and call.operation == "book" and call.outcome == "ok"
    assert call.request_body["patient"]["email"] == "m***@example.org"
    booking.refresh_from_db()
    assert model_to_dict(booking) == before  # adapters never change a booking


def test_unsigned_catalogue_calls_carry_no_auth_headers(mock_http, sanar_video_credential):
    for operation in UNSIGNED:
        mock(mock_http, operation, json=fixture(OPERATIONS[operation][4]))
        run(operation, sanar_video_credential, None)
    for call in mock_http.calls:
        assert "Authorization" not in call.request.headers and "Cmt" not in call.request.headers


# --- every outcome, for every function ---


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("status", [1000, "1000"])
def test_success_status_as_integer_or_string(mock_http, sanar_video_credential, booking, operation, status):
    mock(mock_http, operation, json=success_body(operation, status))
    assert run(operation, sanar_video_credential, booking)
    assert UpstreamCall.objects.get().outcome == "ok"


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("answer, error_class, outcome, retry_safe", SANAR_FAULTS)
def test_every_fault(mock_http, sanar_video_credential, booking, operation, answer, error_class, outcome, retry_safe):
    mock(mock_http, operation, **answer)

    with pytest.raises(error_class) as excinfo:
        run(operation, sanar_video_credential, booking)

    call = UpstreamCall.objects.get()
    assert excinfo.value.call == call
    assert (call.outcome, call.operation, call.attempt) == (outcome, operation, 1)
    assert excinfo.value.retry_safe is retry_safe
    assert call.booking == (booking if operation == "book" else None)


@pytest.mark.parametrize("operation", SIGNED)
def test_signature_mismatch_once_is_resigned_and_sent_again(mock_http, sanar_video_credential, booking, operation):
    mock(mock_http, operation, json=envelope(1003, "Signature mismatch"))
    mock(mock_http, operation, json=success_body(operation, 1000))
    # An admin corrects the secret between the two attempts: the second Cmt uses the stored one.
    new_secret = "corrected-cmt-secret-0042"
    stored = Credential.objects.get(pk=sanar_video_credential.pk)
    stored.cmt_secret = new_secret
    stored.save()

    assert run(operation, sanar_video_credential, booking)

    calls = list(UpstreamCall.objects.order_by("attempt"))
    assert [(c.attempt, c.outcome) for c in calls] == [(1, "signature_mismatch"), (2, "ok")]
    first, second = (c.request for c in mock_http.calls)
    payload = _signed_payload(operation, booking)
    assert first.headers["Cmt"] == cmt_signature(payload, secret=demo_keys.SANAR_CMT_SECRET)
    assert second.headers["Cmt"] == cmt_signature(payload, secret=new_secret)
    assert first.headers["Cmt"] != second.headers["Cmt"]


@pytest.mark.parametrize("operation", SIGNED)
def test_signature_mismatch_once_with_the_same_secret_recomputes_the_same_cmt(
    mock_http, sanar_video_credential, booking, operation
):
    mock(mock_http, operation, json=envelope("1003"))
    mock(mock_http, operation, json=success_body(operation, "1000"))

    run(operation, sanar_video_credential, booking)

    expected = cmt_signature(_signed_payload(operation, booking), secret=demo_keys.SANAR_CMT_SECRET)
    assert [c.request.headers["Cmt"] for c in mock_http.calls] == [expected, expected]
    assert UpstreamCall.objects.count() == 2


@pytest.mark.parametrize("operation", SIGNED)
def test_signature_mismatch_twice_is_a_credential_problem(mock_http, sanar_video_credential, booking, operation):
    mock(mock_http, operation, json=envelope(1003, "Signature mismatch"))

    with pytest.raises(SignatureMismatch) as excinfo:
        run(operation, sanar_video_credential, booking)

    calls = list(UpstreamCall.objects.order_by("attempt"))
    assert [c.outcome for c in calls] == ["signature_mismatch", "signature_mismatch"]
    assert excinfo.value.call == calls[-1]
    assert Credential.objects.get(pk=sanar_video_credential.pk).is_failing


@pytest.mark.parametrize("operation", UNSIGNED)
def test_signature_mismatch_on_an_unsigned_call_is_not_resent(mock_http, sanar_video_credential, operation):
    mock(mock_http, operation, json=envelope(1003))
    with pytest.raises(SignatureMismatch):
        run(operation, sanar_video_credential, None)
    assert UpstreamCall.objects.count() == 1


def test_book_attempt_numbers_follow_the_caller(mock_http, sanar_video_credential, booking):
    mock(mock_http, "book", json=envelope(1003))
    mock(mock_http, "book", json=fixture("book_response.json"))
    sanar_video.book(sanar_video_credential, booking=booking, attempt=3)
    assert sorted(UpstreamCall.objects.values_list("attempt", flat=True)) == [3, 4]


@pytest.mark.parametrize(
    "payment_url",
    ["http://pay.sanar.example/checkout/1", "/checkout/1", "javascript:alert(1)", "", None, "pay.sanar.example/x"],
)
def test_book_with_a_payment_url_that_is_not_https_is_a_bad_response(
    mock_http, sanar_video_credential, booking, payment_url
):
    mock(mock_http, "book", json=envelope(1000, "ok", {"booking_id": "SNR-1", "payment_url": payment_url}))

    with pytest.raises(BadResponse) as excinfo:
        sanar_video.book(sanar_video_credential, booking=booking)

    assert excinfo.value.retry_safe is False
    assert excinfo.value.call.outcome == "bad_response"
    assert UpstreamCall.objects.count() == 1  # never re-sent


@pytest.mark.parametrize(
    "info", [{"payment_url": "https://pay.test/1"}, {"booking_id": "", "payment_url": "https://pay.test/1"}]
)
def test_book_without_a_booking_id_is_a_bad_response(mock_http, sanar_video_credential, booking, info):
    mock(mock_http, "book", json=envelope(1000, "ok", info))
    with pytest.raises(BadResponse):
        sanar_video.book(sanar_video_credential, booking=booking)


def test_book_with_an_unreadable_amount_keeps_the_booking(mock_http, sanar_video_credential, booking):
    info = {"booking_id": "SNR-1", "payment_url": "https://pay.test/1", "amount": "ninety riyals"}
    mock(mock_http, "book", json=envelope(1000, "ok", info))
    confirmation = sanar_video.book(sanar_video_credential, booking=booking)
    assert confirmation.amount is None and confirmation.raw["amount"] == "ninety riyals"


def _signed_payload(operation, booking):
    if operation == "slots":
        return {"date": "2026-04-28", "doctor_id": "EMP86190"}
    return sanar_video.book_payload(booking)
