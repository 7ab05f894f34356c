"""No secret and no full patient identifier in any stored call row or log line, whatever happens.

The mocked partners misbehave on purpose: they echo the request headers and body back in
their messages, in JSON, in HTML error pages and in plain text, and transport errors
quote the headers. Afterwards every column of every ``UpstreamCall`` row and every
captured log record is scanned.
"""

import datetime
import json
import logging

import pytest
import requests
import responses

from bookings.models import Booking
from partners.adapters import sanar_vaccination, sanar_video, sandicare
from partners.adapters.sanar_vaccination import Location
from partners.errors import PartnerError
from partners.models import UpstreamCall

VIDEO_TOKEN = "probe-video-token-5c1f0e9a77"
VIDEO_CMT_SECRET = "probe-video-cmt-secret-2b8d41"
KIDS_TOKEN = "probe-kids-token-90aa13bd42"
KIDS_CMT_SECRET = "probe-kids-cmt-secret-77e0c3"
SANDICARE_KEY = "sdx_probekey0123456789abcdef"
SECRETS = [VIDEO_TOKEN, VIDEO_CMT_SECRET, KIDS_TOKEN, KIDS_CMT_SECRET, SANDICARE_KEY]

PATIENT_NAME = "Mohammed Al-Otaibi"
CHILD_NAME = "ليان العتيبي"
GUARDIAN_NAME = "Fatimah Al-Qahtani"
EMAIL = "mohammed.otaibi@example.org"
MOBILE = "+966501234567"
IDENTIFIERS = [PATIENT_NAME, CHILD_NAME, GUARDIAN_NAME, EMAIL, MOBILE]
DATE = datetime.date(2026, 4, 28)


@pytest.fixture
def credentials(sanar_video_credential, sanar_vaccination_credential, sandicare_credential):
    sanar_video_credential.auth_token, sanar_video_credential.cmt_secret = VIDEO_TOKEN, VIDEO_CMT_SECRET
    sanar_video_credential.auth_prefix = "Bearer "
    sanar_video_credential.save()
    sanar_vaccination_credential.auth_token, sanar_vaccination_credential.cmt_secret = KIDS_TOKEN, KIDS_CMT_SECRET
    sanar_vaccination_credential.save()
    sandicare_credential.api_key = SANDICARE_KEY
    sandicare_credential.save()
    return sanar_video_credential, sanar_vaccination_credential, sandicare_credential


@pytest.fixture
def bookings(credentials):
    video, kids, care = (credential.partner for credential in credentials)
    common = {"patient_dob": datetime.date(1990, 5, 17), "email": EMAIL, "mobile": MOBILE, "appointment_date": DATE}
    return (
        Booking.objects.create(
            partner=video, reference="BK-LEAK-1", patient_name=PATIENT_NAME, doctor_id="EMP86190", **common
        ),
        Booking.objects.create(
            partner=kids,
            reference="BK-LEAK-2",
            patient_name=CHILD_NAME,
            guardian_name=GUARDIAN_NAME,
            service_ids=["VAC-MMR"],
            location={"city": "Riyadh", "lat": 24.7, "lng": 46.6},
            **common,
        ),
        Booking.objects.create(
            partner=care,
            reference="BK-LEAK-3",
            patient_name=PATIENT_NAME,
            program_id="1001",
            sandicare_service="general_medicine",
            consultation_reason=f"{PATIENT_NAME} has a cough; call {MOBILE}",
            **common,
        ),
    )


def echo(request) -> str:
    headers = {key: value for key, value in request.headers.items()}
    body = request.body.decode() if isinstance(request.body, bytes) else (request.body or "")
    return f"headers={json.dumps(headers)} body={body}"


EVERY_LIST = {"specialities": [], "doctor": [], "slots": [], "services": [], "providers": [], "id": "V"}


def sanar_echo(status, http_status=200, shape="json", payment_url="https://pay.test/1"):
    def answer(request):
        text = echo(request)
        if shape == "html":
            return http_status, {"Content-Type": "text/html"}, f"<html><body><pre>{text}</pre></body></html>"
        if shape == "text":
            return http_status, {"Content-Type": "text/plain"}, text
        info = {
            **EVERY_LIST,
            "echo": text,
            "headers": dict(request.headers),
            "booking_id": "B-1",
            "payment_url": payment_url or text,
        }
        return http_status, {}, json.dumps({"status": status, "message": f"Rejected: {text}", "data": {"info": info}})

    return answer


def sandicare_echo(http_status, shape="json", url="https://meet.test/room/1"):
    def answer(request):
        text = echo(request)
        if shape == "html":
            return http_status, {"Content-Type": "text/html"}, f"<html>{text}</html>"
        return http_status, {}, json.dumps({"error": text, "message": f"Rejected: {text}", "url": url or text})

    return answer


def transport_error(kind):
    def answer(request):
        quoted = f"while sending headers {dict(request.headers)}"
        raise {
            "reset": requests.exceptions.ConnectionError,
            "read-timeout": requests.exceptions.ReadTimeout,
            "connect-timeout": requests.exceptions.ConnectTimeout,
            "invalid-header": requests.exceptions.InvalidHeader,
        }[kind](quoted)

    return answer


SANAR_MODES = [
    sanar_echo(1000),
    sanar_echo("1000", payment_url=None),
    sanar_echo(1001),
    sanar_echo(1002),
    sanar_echo(1003),
    sanar_echo(1004),
    sanar_echo(1005),
    sanar_echo(5000),
    sanar_echo(None),
    sanar_echo(None, 502, "html"),
    sanar_echo(None, 200, "text"),
    sanar_echo(None, 503, "text"),
    *(transport_error(kind) for kind in ("reset", "read-timeout", "connect-timeout", "invalid-header")),
]
SANDICARE_MODES = [
    sandicare_echo(200),
    sandicare_echo(200, url=None),
    sandicare_echo(400),
    sandicare_echo(401),
    sandicare_echo(404),
    sandicare_echo(503),
    sandicare_echo(502, "html"),
    sandicare_echo(500),
    *(transport_error(kind) for kind in ("reset", "read-timeout", "connect-timeout", "invalid-header")),
]


def run_everything(credentials, bookings, mock_http):
    video, kids, care = credentials
    video_booking, kids_booking, care_booking = bookings
    calls = [
        (responses.GET, "https://sanar.test/v1/specialities", lambda: sanar_video.specialities(video)),
        (responses.GET, "https://sanar.test/v1/doctors", lambda: sanar_video.doctors(video, spec_id="DP34")),
        (
            responses.GET,
            "https://sanar.test/v1/slots",
            lambda: sanar_video.slots(video, doctor_id="EMP86190", date=DATE),
        ),
        (responses.POST, "https://sanar.test/v1/book", lambda: sanar_video.book(video, booking=video_booking)),
        (responses.POST, "https://sanar-kids.test/v1/services", lambda: sanar_vaccination.services(kids)),
        (responses.POST, "https://sanar-kids.test/v1/details", lambda: sanar_vaccination.details(kids, service_id="V")),
        (
            responses.POST,
            "https://sanar-kids.test/v1/browse",
            lambda: sanar_vaccination.browse(
                kids, date=DATE, location=Location("Riyadh", 24.7, 46.6), service_ids=["V"]
            ),
        ),
        (responses.POST, "https://sanar-kids.test/v1/book", lambda: sanar_vaccination.book(kids, booking=kids_booking)),
    ]
    errors = []
    for method, url, run in calls:
        for mode in SANAR_MODES:
            mock_http.reset()
            mock_http.add_callback(method, url, callback=mode)
            errors += _attempt(run)
    for mode in SANDICARE_MODES:
        mock_http.reset()
        mock_http.add_callback(responses.POST, "https://sandicare.test/api/v1/meetings/enroll", callback=mode)
        errors += _attempt(lambda: sandicare.enroll(care, booking=care_booking))
    return errors


def _attempt(run):
    try:
        run()
    except PartnerError as error:
        return [error]
    return []


def test_no_secret_or_patient_identifier_is_stored_or_logged(credentials, bookings, caplog):
    caplog.set_level(logging.DEBUG)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock_http:
        errors = run_everything(credentials, bookings, mock_http)
        sent_signatures = {call.request.headers.get("Cmt") for call in mock_http.calls} - {None}

    rows = list(UpstreamCall.objects.values())
    assert len(rows) > 120 and len(errors) > 100  # the scan covers many calls and many faults
    assert {row["outcome"] for row in rows} == set(UpstreamCall.Outcome.values)  # every outcome class was hit
    stored = [json.dumps(row, ensure_ascii=False, default=str) for row in rows]
    logged = [f"{record.getMessage()} {record.__dict__}" for record in caplog.records]
    assert logged, "the client logs every attempt"

    for secret in [*SECRETS, *sent_signatures]:
        assert not [text for text in stored if secret in text], f"secret {secret[:6]}… stored"
        assert not [text for text in logged if secret in text], f"secret {secret[:6]}… logged"
        assert not [error for error in errors if secret in str(error) or secret in error.partner_message]
    for identifier in IDENTIFIERS:
        assert not [text for text in stored if identifier in text], f"{identifier[:3]}… stored"
        assert not [text for text in logged if identifier in text], f"{identifier[:3]}… logged"
