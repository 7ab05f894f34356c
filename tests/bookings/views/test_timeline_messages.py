"""Messages to the patient in the booking's timeline: channel, masked recipient, status,
attempts and time, among the state changes and partner calls, for every role that reads it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.selectors import booking_timeline
from bookings.states import Status
from messaging.models import Message, MessageAttempt
from tests.factories import make_booking, make_event

pytestmark = pytest.mark.django_db


def tried(message, *outcomes):
    for number, outcome in enumerate(outcomes, start=1):
        error = "The provider refused the number" if outcome == MessageAttempt.Outcome.FAILED else ""
        MessageAttempt.objects.create(
            message=message, number=number, started_at=timezone.now(), outcome=outcome, error=error, http_status=400
        )


@pytest.fixture
def booking_with_messages():
    booking = make_booking(status=Status.AWAITING_PAYMENT, payment_url="https://pay.sanar.example/p/1")
    make_event(booking, to_status=Status.AWAITING_PAYMENT, from_status=Status.SUBMITTING)
    sent = Message.objects.create(
        booking=booking,
        channel="email",
        recipient_masked="l***@example.org",
        language="ar",
        status=Message.Status.SENT,
        sent_at=timezone.now(),
    )
    tried(sent, MessageAttempt.Outcome.RETRYING, MessageAttempt.Outcome.SENT)
    failed = Message.objects.create(
        booking=booking,
        channel="sms",
        recipient_masked="+9665******67",
        language="ar",
        status=Message.Status.FAILED,
        template=Message.Template.REMINDER,
        reminder_lead_minutes=60,
    )
    tried(failed, *[MessageAttempt.Outcome.RETRYING] * 4, MessageAttempt.Outcome.FAILED)
    later = timezone.now() + datetime.timedelta(minutes=1)
    Message.objects.filter(pk=failed.pk).update(created_at=later)
    return booking, sent, failed


def test_each_message_is_an_entry_in_time_order(booking_with_messages):
    booking, sent, failed = booking_with_messages
    entries = booking_timeline(booking)
    messages = [entry.message for entry in entries if entry.message]
    assert messages == [sent, failed]
    assert entries[-1].message == failed


@pytest.mark.parametrize("persona", ["operations", "finance"])
def test_the_record_shows_channel_recipient_status_attempts(persona_client, booking_with_messages, persona):
    booking, _sent, _failed = booking_with_messages
    html = persona_client(persona).get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    timeline = html.split('id="timeline-title"')[1]
    assert timeline.count('class="timeline-message') == 2
    assert "<strong>Email</strong>" in timeline and '<bdi dir="ltr">l***@example.org</bdi>' in timeline
    assert "<strong>SMS</strong>" in timeline and "+9665******67" in timeline
    assert "Sent</span>" in timeline and "2 attempts" in timeline
    assert "Failed</span>" in timeline and "5 attempts" in timeline and "The provider refused the number" in timeline
    assert "Appointment reminder" in timeline and "by the system" in timeline
    assert timeline.count("<summary>Attempts</summary>") == 2 and "Failed, tried again later" in timeline


def test_the_hand_off_page_shows_the_latest_one(ops_client, booking_with_messages):
    booking, _sent, _failed = booking_with_messages
    html = ops_client.get(reverse("bookings:status", args=[booking.pk])).content.decode()
    latest = html.split('id="latest-message"')[1].split("</div>")[0]
    assert "+9665******67" in latest and "Failed" in latest and "l***@example.org" not in latest
