"""Sending the link from the hand-off page and the booking record: only the channels the patient
can be reached on and agreed to; one click, one message; errors next to the channel; the latest
message's status, polled while it is on its way."""

import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from bookings.states import Status
from messaging import tasks
from messaging.models import Message, MessageAttempt
from patients.services import patient_create
from tests.factories import make_booking

pytestmark = pytest.mark.django_db
LINK = "https://pay.sanar.example/checkout/abc"


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.send_message, "delay", sent.append)
    return sent


def booked(*, consents=True, mobile="+966501234567", email="layla@example.org", preferred="email"):
    patient = patient_create(
        actor=None,
        full_name="Layla Haddad",
        mobile=mobile,
        email=email,
        consents_to_messages=consents,
        preferred_channel=preferred,
    )
    return make_booking(
        status=Status.AWAITING_PAYMENT,
        payment_url=LINK,
        patient=patient,
        patient_name="Layla Haddad",
        mobile=mobile,
        email=email,
    )


def checked_channel(html: str) -> str:
    (checked,) = re.findall(r'<input type="radio" name="channel" value="(\w+)"[^>]* checked>', html)
    return checked


def status_page(client, booking) -> str:
    return client.get(reverse("bookings:status", args=[booking.pk])).content.decode()


def test_the_hand_off_page_offers_each_channel_the_patient_can_be_reached_on(ops_client, unifonic):
    html = status_page(ops_client, booked(preferred="email"))
    assert 'action="/messages/bookings/' in html and 'name="next" value="status"' in html
    for channel in ("email", "sms", "whatsapp"):
        assert f'name="channel" value="{channel}"' in html
    assert checked_channel(html) == "email"  # the patient's preferred channel
    assert "Send the link" in html and "Resend the link" not in html


@pytest.mark.parametrize(
    ("contacts", "offered", "not_offered"),
    [
        ({"mobile": ""}, ["email"], ["sms", "whatsapp"]),
        ({"email": "", "preferred": "sms"}, ["sms", "whatsapp"], ["email"]),
    ],
)
def test_a_channel_without_an_address_is_not_offered(ops_client, unifonic, contacts, offered, not_offered):
    html = status_page(ops_client, booked(**contacts))
    for channel in offered:
        assert f'name="channel" value="{channel}"' in html
    for channel in not_offered:
        assert f'name="channel" value="{channel}"' not in html


def test_no_form_without_consent_and_a_way_to_record_it(ops_client):
    booking = booked(consents=False)
    html = status_page(ops_client, booking)
    assert 'name="channel"' not in html
    assert "has not agreed to receive messages" in html
    assert reverse("patients:edit", args=[booking.patient_id]) in html


def test_one_click_is_one_message_and_back_to_the_hand_off_page(ops_client, queued):
    booking = booked()
    url = reverse("messaging:send-link", args=[booking.pk])
    post = {"channel": "email", "intent": str(uuid.uuid4()), "next": "status"}
    first = ops_client.post(url, post)
    second = ops_client.post(url, post)
    assert first.url == second.url == reverse("bookings:status", args=[booking.pk])
    message = Message.objects.get()
    assert message.channel == "email" and message.requested_by.username == "ops"
    html = status_page(ops_client, booking)
    assert "Resend the link" in html
    assert "l***@example.org" in html and "Queued" in html
    # While it is on its way, the status polls itself.
    assert f'hx-get="{reverse("messaging:latest", args=[booking.pk])}"' in html


def test_resend_is_one_more_message_from_a_new_page_load(ops_client, queued):
    booking = booked()
    url = reverse("messaging:send-link", args=[booking.pk])
    ops_client.post(url, {"channel": "email", "intent": str(uuid.uuid4())})
    ops_client.post(url, {"channel": "sms", "intent": str(uuid.uuid4())})  # refused: not set up
    ops_client.post(url, {"channel": "email", "intent": str(uuid.uuid4())})
    assert Message.objects.filter(booking=booking).count() == 2


def test_from_the_booking_record_it_returns_to_the_record(ops_client, queued):
    booking = booked()
    record = ops_client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert 'name="next" value="detail"' in record and 'name="channel" value="email"' in record
    response = ops_client.post(
        reverse("messaging:send-link", args=[booking.pk]),
        {"channel": "email", "intent": str(uuid.uuid4()), "next": "detail"},
    )
    assert response.url == reverse("bookings:detail", args=[booking.pk])


def test_a_channel_not_set_up_is_not_offered_and_said_next_to_the_choice(ops_client, queued):
    booking = booked()
    assert 'name="channel" value="sms"' not in status_page(ops_client, booking)
    response = ops_client.post(
        reverse("messaging:send-link", args=[booking.pk]), {"channel": "sms", "intent": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    field = response.content.decode().split('id="field-channel"')[1].split('id="send-link-button"')[0]
    assert "not set up or the patient cannot be reached on it" in field
    assert not Message.objects.exists()


def test_an_sms_is_sent_from_the_hand_off_page_once_set_up(ops_client, unifonic, django_capture_on_commit_callbacks):
    booking = booked(preferred="sms")
    assert checked_channel(status_page(ops_client, booking)) == "sms"
    with django_capture_on_commit_callbacks(execute=True):
        ops_client.post(
            reverse("messaging:send-link", args=[booking.pk]), {"channel": "sms", "intent": str(uuid.uuid4())}
        )
    message = Message.objects.get()
    assert message.channel == "sms" and message.recipient_masked == "+9665******67"


@pytest.mark.parametrize("channel", ["", "fax", "EMAIL"])
def test_a_channel_not_offered_is_an_error_not_a_message(ops_client, queued, channel):
    booking = booked(mobile="")
    for value in (channel, "sms"):
        response = ops_client.post(reverse("messaging:send-link", args=[booking.pk]), {"channel": value})
        assert response.status_code == 400
        assert '<p class="error">' in response.content.decode()
    assert not Message.objects.exists()


def test_no_consent_post_is_refused_with_the_reason(ops_client, queued):
    booking = booked(consents=False)
    response = ops_client.post(reverse("messaging:send-link", args=[booking.pk]), {"channel": "email"})
    assert response.status_code == 400
    assert "cannot be sent messages" in response.content.decode()
    assert not Message.objects.exists()


def test_the_latest_status_fragment(ops_client, queued):
    booking = booked()
    message = Message.objects.create(
        booking=booking, channel="email", recipient_masked="l***@example.org", language="en", status="sent"
    )
    attempt = MessageAttempt.objects.create(message=message, number=1, started_at=timezone.now(), outcome="sent")
    html = ops_client.get(reverse("messaging:latest", args=[booking.pk])).content.decode()
    assert "l***@example.org" in html and "Sent" in html and "1 attempt" in html
    assert "hx-get" not in html  # sent: nothing more to wait for
    Message.objects.filter(pk=message.pk).update(status="failed")
    MessageAttempt.objects.filter(pk=attempt.pk).update(outcome="retrying")
    for number in range(2, 6):
        MessageAttempt.objects.create(
            message=message, number=number, started_at=timezone.now(), outcome="failed", error="SMTPServerDisconnected"
        )
    html = ops_client.get(reverse("messaging:latest", args=[booking.pk])).content.decode()
    assert "Failed" in html and "SMTPServerDisconnected" in html and "5 attempts" in html


def test_finance_neither_sends_nor_sees_the_form(persona_client):
    booking = booked()
    client = persona_client("finance")
    assert client.post(reverse("messaging:send-link", args=[booking.pk]), {"channel": "email"}).status_code == 403
    assert client.get(reverse("messaging:latest", args=[booking.pk])).status_code == 403
    assert 'name="channel"' not in client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()


def test_in_arabic_the_panel_is_translated(ops_client):
    ops_client.cookies["django_language"] = "ar"
    with translation.override("en"):  # the middleware activates Arabic in this thread: not after this test
        html = ops_client.get(reverse("bookings:status", args=[booked().pk])).content.decode()
    with translation.override("ar"):
        assert gettext("Send the link") in html and gettext("Send by") in html
    assert "Send the link" not in html
