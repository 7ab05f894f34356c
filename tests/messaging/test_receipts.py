"""Delivery receipts: the provider's webhook marks a sent message delivered (or failed); it
needs the URL's secret, takes no login and no CSRF token, and never moves a message back."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from messaging import sending
from messaging.models import Message
from messaging.requests import message_request
from tests.messaging.conftest import RECEIPT_TOKEN, patient_booking

pytestmark = pytest.mark.django_db


def sent(simulator, channel):
    booking = patient_booking()
    message = message_request(booking_id=booking.pk, channel=channel, actor=None, intent=None)
    sending.message_send(message_id=message.pk, final_attempt=False)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    return message


def post_receipt(simulator, message, word=None, token=RECEIPT_TOKEN):
    content_type, body = simulator.receipt_request(message.provider_id, word)
    # A provider has no session and no CSRF token: the checks stay on, as in production.
    client = Client(enforce_csrf_checks=True)
    url = reverse(f"messaging:receipt-{message.channel}") + f"?token={token}"
    return client.post(url, data=body, content_type=content_type)


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_receipt_marks_the_message_delivered(unifonic, queued, channel):
    message = sent(unifonic, channel)
    response = post_receipt(unifonic, message)
    assert response.status_code == 200 and response.json() == {"ok": True, "status": "delivered"}
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED and message.receipt_at and message.receipt
    # The same receipt again (the provider retries) changes nothing.
    assert post_receipt(unifonic, message).status_code == 200


@pytest.mark.parametrize(("channel", "word"), [("sms", "Undeliverable"), ("whatsapp", "message.rejected")])
def test_a_negative_receipt_fails_the_message_with_the_providers_word(unifonic, queued, channel, word):
    message = sent(unifonic, channel)
    assert post_receipt(unifonic, message, word).status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and message.error == word


def test_a_receipt_that_settles_nothing_keeps_the_message_sent(unifonic, queued):
    message = sent(unifonic, "whatsapp")
    assert post_receipt(unifonic, message, "message.sent").status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.receipt == "message.sent"


def test_a_delivered_message_is_not_failed_by_a_late_receipt(unifonic, queued):
    message = sent(unifonic, "sms")
    post_receipt(unifonic, message, "Delivered")
    post_receipt(unifonic, message, "Undeliverable")
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED


def test_a_wrong_or_missing_token_is_refused(unifonic, queued, settings):
    message = sent(unifonic, "sms")
    assert post_receipt(unifonic, message, token="guess").status_code == 403
    assert post_receipt(unifonic, message, token="").status_code == 403
    settings.MESSAGE_RECEIPT_TOKEN = ""  # receipts off: even the empty token is refused
    assert post_receipt(unifonic, message, token="").status_code == 403
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_a_receipt_for_another_channel_or_an_unknown_message_is_not_applied(unifonic, queued, client):
    message = sent(unifonic, "sms")
    url = reverse("messaging:receipt-whatsapp") + f"?token={RECEIPT_TOKEN}"
    body = {"messageId": message.provider_id, "eventType": "message.delivered"}
    assert client.post(url, data=json.dumps(body), content_type="application/json").status_code == 404
    sms_url = reverse("messaging:receipt-sms") + f"?token={RECEIPT_TOKEN}"
    assert client.post(sms_url, {"MessageID": "999", "DLR": "Delivered"}).status_code == 404
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b"{not json"),
        ("application/json", b"[1, 2]"),
        ("application/json", b'{"messageId": {"a": 1}}'),
        ("application/x-www-form-urlencoded", b"MessageID=&DLR="),
        ("text/plain", b"\xff\xfe"),
    ],
)
def test_a_body_that_is_not_a_receipt_is_answered_400(unifonic, client, content_type, body):
    for channel in ("sms", "whatsapp"):
        url = reverse(f"messaging:receipt-{channel}") + f"?token={RECEIPT_TOKEN}"
        assert client.post(url, data=body, content_type=content_type).status_code == 400


def test_the_webhook_takes_only_post(unifonic, client):
    assert client.get(reverse("messaging:receipt-sms") + f"?token={RECEIPT_TOKEN}").status_code == 405
