"""SMS and WhatsApp through the Unifonic backends, against the simulator on 127.0.0.1: what the
provider receives, what the portal stores (one row per attempt, the call log redacted), retries."""

import json
import logging

import pytest
from django.core.exceptions import ValidationError

from messaging import sending
from messaging.models import Message, MessageAttempt
from messaging.requests import message_request
from partner_simulator import demo_keys
from partners.models import UpstreamCall
from tests.messaging.conftest import MOBILE, patient_booking

pytestmark = pytest.mark.django_db

SECRETS = (demo_keys.UNIFONIC_APP_SID, demo_keys.UNIFONIC_PUBLIC_ID, demo_keys.UNIFONIC_SECRET)


def ask(booking, channel):
    return message_request(booking_id=booking.pk, channel=channel, actor=None, intent=None)


def stored_text(*rows) -> str:
    """Everything the database keeps about a message and its calls, as one string."""
    return json.dumps(
        [
            {field.name: str(getattr(row, field.attname)) for field in row._meta.concrete_fields}
            for row in rows
            if row is not None
        ],
        ensure_ascii=False,
    )


def test_an_sms_reaches_the_provider_in_the_patients_language(unifonic, queued, caplog):
    caplog.set_level(logging.INFO)
    booking = patient_booking(language="es")
    message = ask(booking, "sms")
    assert message.recipient_masked == "+9665******67" and message.status == Message.Status.QUEUED

    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.SENT

    (received,) = unifonic.outbox("sms")
    assert received["to"] == MOBILE and received["sender"] == demo_keys.UNIFONIC_SENDER_ID
    assert booking.reference in received["text"] and "https://pay.sanar.test/p/abc" in received["text"]
    assert "Complétela" in received["text"]  # Spanish
    message.refresh_from_db()
    assert (message.provider, message.provider_id, message.language) == ("unifonic", received["id"], "es")
    (attempt,) = message.attempt_log.all()
    assert (attempt.number, attempt.outcome, attempt.http_status) == (1, MessageAttempt.Outcome.SENT, 200)
    assert attempt.duration_ms is not None and attempt.call.provider == "unifonic" and attempt.call.partner is None
    assert attempt.call.operation == "sms.send" and attempt.call.outcome == UpstreamCall.Outcome.OK
    assert attempt.call.request_body["AppSid"] == "[redacted]"
    assert attempt.call.request_body["Body"] == f"[{len(received['text'])} characters]"
    kept = stored_text(message, attempt, attempt.call) + caplog.text
    for secret in (*SECRETS, MOBILE, MOBILE.lstrip("+"), "Layla"):
        assert secret not in kept


def test_a_whatsapp_message_carries_the_booking_summary(unifonic, queued):
    booking = patient_booking(language="ar", preferred="whatsapp", doctor_name="Dr. Sara")
    message = ask(booking, "whatsapp")
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.SENT

    (received,) = unifonic.outbox("whatsapp")
    assert received["to"] == MOBILE
    assert booking.reference in received["text"] and "Dr. Sara" in received["text"]
    assert "https://pay.sanar.test/p/abc" in received["text"]
    (request,) = unifonic.received("unifonic.whatsapp")
    assert request["headers"]["publicid"] == demo_keys.UNIFONIC_PUBLIC_ID
    message.refresh_from_db()
    call = message.attempt_log.get().call
    assert call.operation == "whatsapp.send" and message.provider_id == received["id"]
    for secret in (*SECRETS, MOBILE):
        assert secret not in stored_text(message, call)


@pytest.mark.parametrize("language", ["en", "ar", "es"])
def test_an_sms_stays_short(unifonic, queued, language):
    booking = patient_booking(language=language)
    sending.message_send(message_id=ask(booking, "sms").pk, final_attempt=False)
    (received,) = unifonic.outbox("sms")
    assert len(received["text"].replace(booking.handoff_url, "")) <= 90


def test_a_provider_failure_is_retried_and_each_attempt_kept(unifonic, queued):
    unifonic.inject("unifonic.sms", "http_503")
    message = ask(patient_booking(), "sms")
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.QUEUED
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.SENT
    first, second = message.attempt_log.all()
    assert (first.number, first.outcome, first.http_status) == (1, MessageAttempt.Outcome.RETRYING, 503)
    assert first.error and first.call.outcome == UpstreamCall.Outcome.SERVER_ERROR
    assert (second.number, second.outcome) == (2, MessageAttempt.Outcome.SENT)
    assert len(unifonic.outbox("sms")) == 1


def test_the_last_attempt_fails_the_message(unifonic, queued):
    unifonic.inject("unifonic.whatsapp", "http_503", times=2)
    message = ask(patient_booking(), "whatsapp")
    sending.message_send(message_id=message.pk, final_attempt=False)
    assert sending.message_send(message_id=message.pk, final_attempt=True) == Message.Status.FAILED
    message.refresh_from_db()
    assert message.attempts == 2 and message.error
    assert [a.outcome for a in message.attempt_log.all()] == ["retrying", "failed"]


@pytest.mark.parametrize(
    ("channel", "fault"),
    [
        ("sms", "unauthorized"),
        ("sms", "rejected"),
        ("whatsapp", "unauthorized"),
        ("whatsapp", "rejected"),
        ("sms", "bad_json"),
        ("sms", "missing_status"),
        ("whatsapp", "connection_reset"),
    ],
)
def test_a_refusal_or_an_unknown_outcome_is_not_sent_again(unifonic, queued, channel, fault):
    unifonic.inject(f"unifonic.{channel}", fault)
    message = ask(patient_booking(), channel)
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.FAILED
    (attempt,) = message.attempt_log.all()
    assert attempt.outcome == MessageAttempt.Outcome.FAILED and attempt.error and attempt.call is not None


def test_an_answer_too_late_is_not_sent_again(unifonic, queued, settings):
    settings.PARTNER_READ_TIMEOUT = 0.5
    unifonic.inject("unifonic.sms", "read_timeout_after_accept", sleep_s=2)
    message = ask(patient_booking(), "sms")
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.FAILED
    assert message.attempt_log.get().call.outcome == UpstreamCall.Outcome.TIMEOUT_AFTER_SEND


def test_a_provider_not_reachable_is_tried_again(unifonic, queued, settings):
    settings.UNIFONIC_SMS_URL = "http://127.0.0.1:9"  # nothing listens: nothing was sent
    message = ask(patient_booking(), "sms")
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.QUEUED
    assert message.attempt_log.get().call.outcome == UpstreamCall.Outcome.CONNECTION_ERROR


def test_sms_and_whatsapp_are_refused_until_a_backend_and_its_keys_are_set(unifonic, queued, settings):
    booking = patient_booking()
    settings.SMS_BACKEND = ""
    with pytest.raises(ValidationError, match="not set up"):
        ask(booking, "sms")
    settings.UNIFONIC_SECRET = ""
    with pytest.raises(ValidationError, match="not set up"):
        ask(booking, "whatsapp")
    assert not Message.objects.exists()


def test_no_sms_without_a_mobile_or_without_consent(unifonic, queued):
    with pytest.raises(ValidationError, match="no mobile"):
        ask(patient_booking(mobile=""), "sms")
    with pytest.raises(ValidationError, match="not agreed"):
        ask(patient_booking(consents=False), "sms")


def test_a_provider_host_outside_the_rules_is_never_sent_the_keys(unifonic, queued, settings):
    settings.UNIFONIC_SMS_URL = "http://sms.example.com"  # plain http, not a listed host
    message = ask(patient_booking(), "sms")
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.FAILED
    assert "Not sent" in message.attempt_log.get().error and not unifonic.received()


def test_a_redelivered_task_does_not_send_again(unifonic, queued):
    message = ask(patient_booking(), "sms")
    sending.message_send(message_id=message.pk, final_attempt=False)
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.SENT
    assert len(unifonic.outbox()) == 1 and message.attempt_log.count() == 1


def test_whatsapp_uses_the_approved_template_when_one_is_named(unifonic, queued, settings):
    settings.UNIFONIC_WHATSAPP_TEMPLATE = "booking_link"
    booking = patient_booking(language="ar", preferred="whatsapp")
    message = ask(booking, "whatsapp")
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.SENT
    (received,) = unifonic.outbox("whatsapp")
    assert received["text"].startswith("[template booking_link · ar] ")
    assert booking.reference in received["text"] and booking.handoff_url in received["text"]
    call = message.attempt_log.get().call
    assert call.request_body["content"] == {"type": "template", "name": "booking_link", "language": {"code": "ar"}}
    assert booking.handoff_url not in stored_text(call)
