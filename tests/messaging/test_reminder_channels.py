"""Reminders go on the patient's preferred channel when it can carry them, else by email."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from bookings.states import Status
from messaging import sending
from messaging.models import Message
from messaging.reminders import reminders_queue
from tests.messaging.conftest import patient_booking

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 12, 20, 9, 30, tzinfo=ZoneInfo(settings.TIME_ZONE)) - datetime.timedelta(minutes=30)


def reminders(**fields):
    booking = patient_booking(status=Status.AWAITING_PAYMENT, **fields)
    enqueued = []
    reminders_queue(enqueue=enqueued.append, now=AT)
    return booking, Message.objects.filter(booking=booking)


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_reminder_goes_on_the_preferred_channel(unifonic, channel):
    booking, messages = reminders(preferred=channel, email="layla@example.org", language="ar")
    assert {m.channel for m in messages} == {channel}
    for message in messages:
        assert message.recipient_masked == "+9665******67"
        sending.message_send(message_id=message.pk, final_attempt=False)
    received = unifonic.outbox(channel)
    assert len(received) == messages.count() == 2 and booking.reference in received[0]["text"]


def test_a_preferred_channel_not_set_up_falls_back_to_email(settings):
    settings.SMS_BACKEND = ""
    _, messages = reminders(preferred="sms", email="layla@example.org")
    assert {m.channel for m in messages} == {"email"}


def test_no_mobile_falls_back_to_email(unifonic):
    _, messages = reminders(preferred="whatsapp", mobile="", email="layla@example.org")
    assert {m.channel for m in messages} == {"email"}


def test_no_reminder_without_any_address_it_can_use(settings):
    settings.SMS_BACKEND = ""
    _, messages = reminders(preferred="sms", email="")
    assert not messages.exists()
