"""Sanar kids vaccination adapter: shapes pinned by fixtures, every contract outcome per function."""

import datetime
import json
from decimal import Decimal
from functools import partial

import pytest
import responses
from django.forms.models import model_to_dict

from bookings.models import Booking
from partner_simulator import demo_keys
from partners.adapters import sanar_vaccination
from partners.adapters.sanar_vaccination import Location
from partners.errors import BadResponse, SignatureMismatch
from partners.models import Credential, UpstreamCall
from partners.money import Money
from partners.signing import canonical_json, cmt_signature
from tests.partner_fixtures import partner_fixture
from tests.partners.test_client import SANAR_FAULTS, envelope

BASE = "https://sanar-kids.test/v1"
DATE = datetime.date(2026, 4, 28)
RIYADH = Location(city="Riyadh", lat=24.7136, lng=46.6753)


fixture = partial(partner_fixture, "sanar_vaccination")


@pytest.fixture(autouse=True)
def _calls_allowed_in_test_transaction(settings):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False


@pytest.fixture
def mock_http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def booking(sanar_vaccination_credential):
    return Booking.objects.create(
        partner=sanar_vaccination_credential.partner,
        reference="BK-TEST-0002",
        patient_name="ليان العتيبي",
        patient_dob=datetime.date(2024, 2, 10),
        patient_gender="Female",
        guardian_name="Mohammed Al-Otaibi",
        mobile="+966501234567",
        email="mohammed.otaibi@example.org",
        service_ids=["VAC-HEPB", "VAC-MMR"],
        provider_id="PRV-RUH-01",
        slot_id="S-0900",
        appointment_date=DATE,
        appointment_time="09:00",
        location={"city": "Riyadh", "lat": 24.7136, "lng": 46.6753, "address": "Al Malqa, Street 12, House 4"},
    )


def browse(credential):
    return sanar_vaccination.browse(credential, date=DATE, location=RIYADH, service_ids=["VAC-HEPB", "VAC-MMR"])


# (path, signed, call, success fixture); every call is a POST
OPERATIONS = {
    "services": ("/services", False, lambda c, b: sanar_vaccination.services(c), "services_response.json"),
    "details": (
        "/details",
        False,
        lambda c, b: sanar_vaccination.details(c, service_id="VAC-MMR"),
        "details_response.json",
    ),
    "browse": ("/browse", True, lambda c, b: browse(c), "browse_response.json"),
    "book": ("/book", True, lambda c, b: sanar_vaccination.book(c, booking=b), "book_response.json"),
}
SIGNED = [name for name, spec in OPERATIONS.items() if spec[1]]
UNSIGNED = [name for name, spec in OPERATIONS.items() if not spec[1]]


def mock(mock_http, operation, **answer):
    mock_http.post(BASE + OPERATIONS[operation][0], **answer)


def run(operation, credential, booking):
    return OPERATIONS[operation][2](credential, booking)


def success_body(operation, status):
    body = fixture(OPERATIONS[operation][3])
    body["status"] = status
    return body


def sent_json(call):
    return json.loads(call.request.body)


# --- success: the parsed results ---


def test_services(mock_http, sanar_vaccination_credential):
    mock(mock_http, "services", json=fixture("services_response.json"))

    hepb, mmr, consultation = sanar_vaccination.services(sanar_vaccination_credential)

    assert sent_json(mock_http.calls[0]) == {"prd_id": demo_keys.SANAR_PRODUCT_CODE}
    assert (hepb.id, hepb.name, hepb.age_group) == ("VAC-HEPB", "Hepatitis B", "0-6 months")
    assert hepb.price == Money(Decimal("150"), "SAR")
    assert mmr.price == Money(Decimal("220.50"), "SAR")
    assert consultation.price is None and consultation.age_group == ""  # "free" is not a price we guess


def test_details(mock_http, sanar_vaccination_credential):
    mock(mock_http, "details", json=fixture("details_response.json"))

    details = sanar_vaccination.details(sanar_vaccination_credential, service_id="VAC-MMR")

    assert sent_json(mock_http.calls[0]) == {"id": "VAC-MMR", "prd_id": demo_keys.SANAR_PRODUCT_CODE}
    assert (details.id, details.name) == ("VAC-MMR", "MMR")
    assert details.description == "Measles, mumps and rubella vaccine."
    assert details.inclusions == ["Vaccine dose", "Nurse visit"]
    assert details.instructions == ["Bring the vaccination card", "No fever in the last 48 hours"]
    assert details.price == Money(Decimal("220.50"), "SAR")


def test_browse(mock_http, sanar_vaccination_credential):
    mock(mock_http, "browse", json=fixture("browse_response.json"))

    first, second = browse(sanar_vaccination_credential)

    request = mock_http.calls[0].request
    assert sent_json(mock_http.calls[0]) == fixture("browse_request.json")
    assert request.headers["Cmt"] == cmt_signature(fixture("browse_request.json"), secret=demo_keys.SANAR_CMT_SECRET)
    assert request.headers["Authorization"] == demo_keys.SANAR_TOKEN
    assert (first.provider_id, first.name, first.address, first.distance_km) == (
        "PRV-RUH-01",
        "Sanar Home Care Riyadh",
        "King Fahd Rd, Riyadh",
        3.2,
    )
    assert [(s.slot_id, s.time, s.available) for s in first.slots] == [
        ("S-0900", "09:00", True),
        ("S-0930", "09:30", False),
    ]
    assert second.distance_km == 7.5 and second.slots == []


def test_browse_without_coordinates_sends_the_city_only(mock_http, sanar_vaccination_credential):
    mock(mock_http, "browse", json=envelope(1000, "ok", {"providers": []}))
    sanar_vaccination.browse(
        sanar_vaccination_credential, date=DATE, location=Location(city="Jeddah", lat=None, lng=None), service_ids=[]
    )
    assert sent_json(mock_http.calls[0])["location"] == {"city": "Jeddah"}


def test_book_sends_the_pinned_payload_and_reads_the_confirmation(mock_http, sanar_vaccination_credential, booking):
    mock(mock_http, "book", json=fixture("book_response.json"))
    before = model_to_dict(booking)

    confirmation = sanar_vaccination.book(sanar_vaccination_credential, booking=booking)

    expected = fixture("book_request.json")
    assert sanar_vaccination.book_payload(booking, product_code=demo_keys.SANAR_PRODUCT_CODE) == expected
    request = mock_http.calls[0].request
    assert request.body == canonical_json(expected).encode()
    assert request.headers["Cmt"] == cmt_signature(expected, secret=demo_keys.SANAR_CMT_SECRET)
    assert confirmation.booking_id == "SNR-VAC-55012"
    assert confirmation.payment_url == "https://pay.sanar.example/checkout/SNR-VAC-55012"
    assert confirmation.amount == Money(Decimal("370.50"), "SAR")
    call = UpstreamCall.objects.get()
    assert call.booking == booking
    assert call.request_body["child"] == {"name": "ل***", "dob": "****-**-**", "gender": "Female"}
    assert call.request_body["guardian"]["mobile"] == "+9665******67"
    booking.refresh_from_db()
    assert model_to_dict(booking) == before


def test_book_amount_in_one_string_is_read_too(mock_http, sanar_vaccination_credential, booking):
    info = {"booking_id": "SNR-1", "payment_url": "https://pay.test/1", "amount": "SAR 370.50"}
    mock(mock_http, "book", json=envelope(1000, "ok", info))
    assert sanar_vaccination.book(sanar_vaccination_credential, booking=booking).amount == Money(
        Decimal("370.50"), "SAR"
    )


def test_catalogue_calls_carry_no_auth_headers(mock_http, sanar_vaccination_credential):
    for operation in UNSIGNED:
        mock(mock_http, operation, json=fixture(OPERATIONS[operation][3]))
        run(operation, sanar_vaccination_credential, None)
    for call in mock_http.calls:
        assert "Authorization" not in call.request.headers and "Cmt" not in call.request.headers


# --- every outcome, for every function ---


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("status", [1000, "1000"])
def test_success_status_as_integer_or_string(mock_http, sanar_vaccination_credential, booking, operation, status):
    mock(mock_http, operation, json=success_body(operation, status))
    assert run(operation, sanar_vaccination_credential, booking)
    assert UpstreamCall.objects.get().outcome == "ok"


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("answer, error_class, outcome, retry_safe", SANAR_FAULTS)
def test_every_fault(
    mock_http, sanar_vaccination_credential, booking, operation, answer, error_class, outcome, retry_safe
):
    mock(mock_http, operation, **answer)

    with pytest.raises(error_class) as excinfo:
        run(operation, sanar_vaccination_credential, booking)

    call = UpstreamCall.objects.get()
    assert excinfo.value.call == call
    assert (call.outcome, call.operation, call.attempt) == (outcome, operation, 1)
    assert excinfo.value.retry_safe is retry_safe


@pytest.mark.parametrize("operation", SIGNED)
def test_signature_mismatch_once_is_resigned_and_sent_again(
    mock_http, sanar_vaccination_credential, booking, operation
):
    mock(mock_http, operation, json=envelope(1003, "Signature mismatch"))
    mock(mock_http, operation, json=success_body(operation, 1000))
    new_secret = "corrected-cmt-secret-0042"
    stored = Credential.objects.get(pk=sanar_vaccination_credential.pk)
    stored.cmt_secret = new_secret
    stored.save()

    assert run(operation, sanar_vaccination_credential, booking)

    calls = list(UpstreamCall.objects.order_by("attempt"))
    assert [(c.attempt, c.outcome) for c in calls] == [(1, "signature_mismatch"), (2, "ok")]
    first, second = (c.request for c in mock_http.calls)
    assert first.body == second.body
    payload = json.loads(first.body)
    assert first.headers["Cmt"] == cmt_signature(payload, secret=demo_keys.SANAR_CMT_SECRET)
    assert second.headers["Cmt"] == cmt_signature(payload, secret=new_secret)


@pytest.mark.parametrize("operation", SIGNED)
def test_signature_mismatch_twice_is_a_credential_problem(mock_http, sanar_vaccination_credential, booking, operation):
    mock(mock_http, operation, json=envelope("1003"))

    with pytest.raises(SignatureMismatch):
        run(operation, sanar_vaccination_credential, booking)

    assert list(UpstreamCall.objects.order_by("attempt").values_list("attempt", "outcome")) == [
        (1, "signature_mismatch"),
        (2, "signature_mismatch"),
    ]
    assert Credential.objects.get(pk=sanar_vaccination_credential.pk).is_failing


@pytest.mark.parametrize("operation", UNSIGNED)
def test_signature_mismatch_on_an_unsigned_call_is_not_resent(mock_http, sanar_vaccination_credential, operation):
    mock(mock_http, operation, json=envelope(1003))
    with pytest.raises(SignatureMismatch):
        run(operation, sanar_vaccination_credential, None)
    assert UpstreamCall.objects.count() == 1


@pytest.mark.parametrize("payment_url", ["http://pay.sanar.example/1", "//pay.sanar.example/1", "", None])
def test_book_with_a_payment_url_that_is_not_https_is_a_bad_response(
    mock_http, sanar_vaccination_credential, booking, payment_url
):
    info = {"booking_id": "SNR-1", "payment_url": payment_url, "amount": "90", "currency": "SAR"}
    mock(mock_http, "book", json=envelope(1000, "ok", info))

    with pytest.raises(BadResponse) as excinfo:
        sanar_vaccination.book(sanar_vaccination_credential, booking=booking)

    assert excinfo.value.call.outcome == "bad_response" and excinfo.value.retry_safe is False


def test_details_without_an_id_is_a_bad_response(mock_http, sanar_vaccination_credential):
    mock(mock_http, "details", json=envelope(1000, "ok", {"name": "MMR"}))
    with pytest.raises(BadResponse):
        sanar_vaccination.details(sanar_vaccination_credential, service_id="VAC-MMR")
