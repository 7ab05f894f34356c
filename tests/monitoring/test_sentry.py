"""Sentry events carry no secret and no patient identifier (captured in-process, no network)."""

import json
import logging
from urllib.parse import urlencode

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from monitoring import health, sentry
from partner_simulator import demo_keys

PATIENT = {
    "patient_name": "Huda Alharbi",
    "mobile": "+966501234567",
    "email": "huda.alharbi@example.org",
    "patient_dob": "1990-05-17",
    "national_id": "1098765432",
}
SECRETS = [demo_keys.SANAR_TOKEN, demo_keys.SANAR_CMT_SECRET, demo_keys.SANDICARE_SANDBOX_KEY]


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def sent(self) -> str:
        return "\n".join(
            item.get_bytes().decode("utf-8", errors="replace") for envelope in self.envelopes for item in envelope.items
        )


@pytest.fixture
def transport(settings):
    captured = CapturingTransport()
    sentry.init("https://public@sentry.invalid/1", environment="test", transport=captured)
    yield captured
    sentry_sdk.init()  # no DSN: the client is off again


def assert_nothing_leaves(text: str, settings):
    assert text, "an event was sent"
    for secret in [*SECRETS, settings.SECRET_KEY, *settings.FIELD_ENCRYPTION_KEYS, "sessionid-value-abc123"]:
        assert secret not in text, f"secret {secret[:6]}… left"
    for field, value in PATIENT.items():
        assert value not in text, f"{field} left"


@pytest.mark.django_db
def test_an_error_in_a_request_sends_no_secret_or_patient_data(client, monkeypatch, settings, transport):
    def failing_readiness():
        token = demo_keys.SANAR_TOKEN  # a local variable: never sent
        raise RuntimeError(f"lookup failed for {PATIENT['email']} / {PATIENT['mobile']} ({len(token)})")

    monkeypatch.setattr(health, "readiness", failing_readiness)
    client.raise_request_exception = False
    client.cookies["sessionid"] = "sessionid-value-abc123"
    # The probes answer only GET; a body on it still reaches the error report's request data.
    response = client.generic(
        "GET",
        "/readyz",
        data=urlencode(PATIENT),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=demo_keys.SANAR_TOKEN,
        HTTP_CMT=demo_keys.SANAR_CMT_SECRET,
        HTTP_X_API_KEY=demo_keys.SANDICARE_SANDBOX_KEY,
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    text = transport.sent()
    assert "RuntimeError" in text and "lookup failed for h***@example.org" in text
    assert_nothing_leaves(text, settings)


def test_logged_errors_extra_data_and_breadcrumbs_are_redacted(settings, transport):
    logger = logging.getLogger("bookings.services")
    logger.info("submitting for %s", PATIENT["email"])  # a breadcrumb
    with sentry_sdk.new_scope() as scope:
        scope.set_context("booking", {**PATIENT, "auth_token": demo_keys.SANAR_TOKEN, "api_key": SECRETS[2]})
        scope.set_extra("headers", {"Authorization": demo_keys.SANAR_TOKEN, "cmt": demo_keys.SANAR_CMT_SECRET})
        logger.error("could not book %s, %s, key %s", PATIENT["mobile"], PATIENT["email"], settings.SECRET_KEY)
    sentry_sdk.flush()
    text = transport.sent()
    assert "could not book" in text
    assert_nothing_leaves(text, settings)
    event = json.loads([line for line in text.splitlines() if '"could not book' in line][0])
    assert event["contexts"]["booking"]["patient_name"] == "H***"
