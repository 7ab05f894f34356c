"""The link by email: a real SMTP server receives it with its .ics; one click, one message;
no message without consent; a redelivered task never sends twice."""

import datetime
import email
import socket
import uuid

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar
from prometheus_client import REGISTRY

from messaging import sending, tasks
from messaging.models import Message
from messaging.requests import message_request
from patients.services import patient_create
from tests.factories import make_booking

pytestmark = pytest.mark.django_db


class Inbox(MessageHandler):
    def __init__(self):
        super().__init__()
        self.received = []

    def handle_message(self, message):
        self.received.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.send_message, "delay", sent.append)
    return sent


def booked_for(*, consents=True, **fields):
    patient = patient_create(
        actor=None, full_name="Layla Haddad", email="layla@example.org", consents_to_messages=consents, language="ar"
    )
    values = {
        "patient": patient,
        "patient_name": "Layla Haddad",
        "email": "layla@example.org",
        "patient_language": "ar",
        "payment_url": "https://pay.sanar.test/p/abc",
        "appointment_date": datetime.date(2026, 12, 20),
        "appointment_time": "09:30",
    }
    return make_booking(**{**values, **fields})


def test_the_email_reaches_a_real_smtp_server_with_its_invitation(
    smtp_server, queued, django_capture_on_commit_callbacks
):
    booking = booked_for()
    with django_capture_on_commit_callbacks(execute=True):
        message = message_request(booking_id=booking.pk, channel="email", actor=None, intent=uuid.uuid4())
    assert queued == [message.pk]
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.SENT

    (received,) = smtp_server.received
    assert received["To"] == "layla@example.org"
    parsed = email.message_from_bytes(received.as_bytes())
    text = next(p for p in parsed.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "https://pay.sanar.test/p/abc" in text and booking.reference in text
    ics = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar").get_payload(decode=True)
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart").replace(tzinfo=None) == datetime.datetime(2026, 12, 20, 9, 30)
    message.refresh_from_db()
    assert message.provider_id == received["Message-ID"]
    assert message.recipient_masked == "l***@example.org" and message.language == "ar"


def test_no_invitation_without_a_time(smtp_server, queued):
    booking = booked_for(appointment_time="", appointment_date=None)
    message = message_request(booking_id=booking.pk, channel="email", actor=None, intent=None)
    sending.message_send(message_id=message.pk, final_attempt=False)
    parsed = email.message_from_bytes(smtp_server.received[0].as_bytes())
    assert not [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]


def test_no_message_without_consent(queued):
    booking = booked_for(consents=False)
    with pytest.raises(ValidationError, match="not agreed"):
        message_request(booking_id=booking.pk, channel="email", actor=None, intent=uuid.uuid4())
    assert not Message.objects.exists()


def test_no_message_for_a_booking_without_a_patient_record(queued):
    booking = make_booking(payment_url="https://pay.sanar.test/p/abc")
    with pytest.raises(ValidationError):
        message_request(booking_id=booking.pk, channel="email", actor=None, intent=uuid.uuid4())


def test_one_click_posted_twice_is_one_message(ops_client, queued):
    booking = booked_for()
    post = {"channel": "email", "intent": str(uuid.uuid4())}
    url = reverse("messaging:send-link", args=[booking.pk])
    ops_client.post(url, post)
    ops_client.post(url, post)
    assert Message.objects.count() == 1
    page = ops_client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert "l***@example.org" in page and "Resend the link" in page


def test_a_redelivered_task_does_not_send_again(smtp_server, queued):
    booking = booked_for()
    message = message_request(booking_id=booking.pk, channel="email", actor=None, intent=None)
    sending.message_send(message_id=message.pk, final_attempt=False)
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.SENT
    assert len(smtp_server.received) == 1


def test_an_smtp_server_not_answering_is_retried_then_failed(settings, queued):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    message = message_request(booking_id=booked_for().pk, channel="email", actor=None, intent=None)
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.QUEUED
    assert sending.message_send(message_id=message.pk, final_attempt=True) == Message.Status.FAILED
    message.refresh_from_db()
    assert message.attempts == 2 and message.error


def test_sms_is_refused_until_a_provider_is_set_up(queued):
    with pytest.raises(ValidationError, match="not set up"):
        message_request(booking_id=booked_for().pk, channel="sms", actor=None, intent=None)


@pytest.mark.parametrize("channel", ["", "fax", "email\x00"])
def test_an_unknown_channel_is_refused_with_a_message(queued, channel):
    with pytest.raises(ValidationError, match="Choose email, SMS or WhatsApp"):
        message_request(booking_id=booked_for().pk, channel=channel, actor=None, intent=None)


def test_each_send_attempt_is_counted_for_the_metrics(smtp_server, settings, queued):
    def sent(outcome):
        labels = {"channel": "email", "template": "link", "outcome": outcome}
        return REGISTRY.get_sample_value("portal_messages_total", labels) or 0

    before = {outcome: sent(outcome) for outcome in ("sent", "retrying", "failed")}
    sending.message_send(
        message_id=message_request(booking_id=booked_for().pk, channel="email", actor=None, intent=None).pk,
        final_attempt=False,
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    unanswered = message_request(booking_id=booked_for().pk, channel="email", actor=None, intent=None)
    sending.message_send(message_id=unanswered.pk, final_attempt=False)
    sending.message_send(message_id=unanswered.pk, final_attempt=True)
    assert {outcome: sent(outcome) - before[outcome] for outcome in before} == {"sent": 1, "retrying": 1, "failed": 1}
