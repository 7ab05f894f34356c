"""Sandicare enrollment adapter: the body per service, the API key, every HTTP outcome."""

import datetime
import json
from functools import partial

import pytest
from django.forms.models import model_to_dict

from bookings.models import Booking
from partner_simulator import demo_keys
from partners.adapters import sandicare
from partners.errors import BadResponse, NotFound, ServerError, Unauthorized, ValidationFailed
from partners.models import Credential, UpstreamCall
from tests.partner_fixtures import partner_fixture
from tests.partners.test_client import SANDICARE_FAULTS

ENROLL_URL = "https://sandicare.test/api/v1/meetings/enroll"


fixture = partial(partner_fixture, "sandicare")


@pytest.fixture
def make_booking(sandicare_credential):
    def make(service="general_medicine", program_id="1001", reason="Persistent cough for two weeks"):
        return Booking.objects.create(
            partner=sandicare_credential.partner,
            patient_name="Ana López",
            patient_dob=datetime.date(1990, 5, 17),
            email="patient@example.org",
            program_id=program_id,
            sandicare_service=service,
            consultation_reason=reason,
        )

    return make


def sent_json(mock_http):
    return json.loads(mock_http.calls[-1].request.body)


def test_general_medicine_enrollment_sends_the_reason_and_returns_a_waiting_room(
    mock_http, sandicare_credential, make_booking
):
    booking = make_booking()
    before = model_to_dict(booking)
    mock_http.post(ENROLL_URL, json=fixture("enroll_general_medicine_response.json"))

    enrollment = sandicare.enroll(sandicare_credential, booking=booking)

    assert sent_json(mock_http) == fixture("enroll_general_medicine_request.json")
    assert enrollment.url == "https://meet.nimbo.example/room/8f3a2c"
    assert enrollment.is_waiting_room is True
    assert enrollment.raw == {"url": "https://meet.nimbo.example/room/8f3a2c"}
    call = UpstreamCall.objects.get()
    assert (call.operation, call.method, call.outcome, call.booking) == ("enroll", "POST", "ok", booking)
    assert call.request_body["consultationReason"] == "***" and call.request_body["email"] == "p***@example.org"
    booking.refresh_from_db()
    assert model_to_dict(booking) == before


@pytest.mark.parametrize("service", ["nutrition", "psychology", "internal_medicine"])
def test_other_services_never_send_a_consultation_reason(mock_http, sandicare_credential, make_booking, service):
    booking = make_booking(service=service, program_id="1002", reason="typed by mistake")
    mock_http.post(ENROLL_URL, json=fixture("enroll_nutrition_response.json"))

    enrollment = sandicare.enroll(sandicare_credential, booking=booking)

    body = sent_json(mock_http)
    assert "consultationReason" not in body
    assert body == {**fixture("enroll_nutrition_request.json"), "service": service}
    assert enrollment.is_waiting_room is False


def test_general_medicine_sends_the_reason_key_even_when_empty(mock_http, sandicare_credential, make_booking):
    mock_http.post(ENROLL_URL, json={"url": "https://x.test/"})
    sandicare.enroll(sandicare_credential, booking=make_booking(reason=""))
    assert sent_json(mock_http)["consultationReason"] == ""  # the partner answers 400: a field error for staff


def test_the_program_of_a_single_program_credential_fills_a_blank_one(mock_http, partners, make_booking):
    credential = Credential.objects.create(
        partner=partners["sandicare"],
        environment=Credential.Environment.PRODUCTION,
        base_url="https://sandicare.test/api/v1",
        api_key=demo_keys.SANDICARE_PRODUCTION_KEY,
        program_ids="1002",
    )
    mock_http.post(ENROLL_URL, json={"url": "https://x.test/"})
    sandicare.enroll(credential, booking=make_booking(program_id=""))
    assert sent_json(mock_http)["programId"] == "1002"


def test_headers(mock_http, sandicare_credential, make_booking, settings):
    mock_http.post(ENROLL_URL, json={"url": "https://x.test/"})
    sandicare.enroll(sandicare_credential, booking=make_booking())
    headers = mock_http.calls[0].request.headers
    assert headers["x-api-key"] == demo_keys.SANDICARE_SANDBOX_KEY
    assert headers["Content-Type"] == "application/json" and headers["User-Agent"] == settings.PARTNER_USER_AGENT
    assert "Authorization" not in headers and "Cmt" not in headers


def test_services_offered_to_staff():
    assert list(sandicare.SERVICES) == ["general_medicine", "nutrition", "psychology", "internal_medicine"]


@pytest.mark.parametrize(
    "code, error_class", [(400, ValidationFailed), (401, Unauthorized), (404, NotFound), (503, ServerError)]
)
def test_error_fixtures_carry_the_partner_message(mock_http, sandicare_credential, make_booking, code, error_class):
    body = fixture(f"error_{code}.json")
    mock_http.post(ENROLL_URL, status=code, json=body)
    with pytest.raises(error_class) as excinfo:
        sandicare.enroll(sandicare_credential, booking=make_booking())
    assert excinfo.value.partner_message == body["message"]
    assert excinfo.value.call.body_status == body["error"]  # whole: the timeline shows it


@pytest.mark.parametrize("answer, error_class, outcome, retry_safe", SANDICARE_FAULTS)
def test_every_fault(mock_http, sandicare_credential, make_booking, answer, error_class, outcome, retry_safe):
    booking = make_booking()
    mock_http.post(ENROLL_URL, **answer)

    with pytest.raises(error_class) as excinfo:
        sandicare.enroll(sandicare_credential, booking=booking)

    call = UpstreamCall.objects.get()
    assert excinfo.value.call == call and call.booking == booking
    assert (call.outcome, call.attempt) == (outcome, 1)
    assert excinfo.value.retry_safe is retry_safe


def test_401_marks_the_credential_failing(mock_http, sandicare_credential, make_booking):
    mock_http.post(ENROLL_URL, status=401, json=fixture("error_401.json"))
    with pytest.raises(Unauthorized):
        sandicare.enroll(sandicare_credential, booking=make_booking())
    assert Credential.objects.get(pk=sandicare_credential.pk).is_failing


@pytest.mark.parametrize(
    "answer", [{"url": "http://meet.nimbo.example/room/1"}, {"url": "/room/1"}, {"url": ""}, {}, {"url": ["https://x"]}]
)
def test_an_enrollment_url_that_is_not_https_is_a_bad_response(mock_http, sandicare_credential, make_booking, answer):
    mock_http.post(ENROLL_URL, json=answer)

    with pytest.raises(BadResponse) as excinfo:
        sandicare.enroll(sandicare_credential, booking=make_booking(), attempt=2)

    call = UpstreamCall.objects.get()
    assert (call.outcome, call.attempt) == ("bad_response", 2)
    assert excinfo.value.retry_safe is False
