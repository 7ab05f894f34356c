"""The messages' safety net: a queued message the broker lost is queued again; one whose worker
died mid-call is failed, never sent twice."""

import datetime

import pytest
from django.utils import timezone

from messaging import sending
from messaging.models import Message, MessageAttempt
from messaging.requests import message_request
from messaging.sweeper import messages_sweep
from tests.messaging.conftest import patient_booking

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(minutes=20)


def ask(channel="sms"):
    return message_request(booking_id=patient_booking().pk, channel=channel, actor=None, intent=None)


def test_a_lost_queued_message_is_queued_again_once_it_waited_longer_than_any_backoff(unifonic, queued):
    message = ask()
    requeued = []
    assert messages_sweep(requeue=requeued.append) == {"requeued": 0, "given_up": 0}  # just asked for
    assert messages_sweep(requeue=requeued.append, now=timezone.now() + LATER)["requeued"] == 1
    assert requeued == [message.pk]
    sending.message_send(message_id=message.pk, final_attempt=False)
    sending.message_send(message_id=message.pk, final_attempt=False)  # the original task, late
    assert len(unifonic.outbox()) == 1


def test_a_message_waiting_for_its_retry_is_left_alone(unifonic, queued):
    unifonic.inject("unifonic.sms", "http_503")
    message = ask()
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - LATER)
    assert sending.message_send(message_id=message.pk, final_attempt=False) == Message.Status.QUEUED
    assert messages_sweep(requeue=[].append)["requeued"] == 0  # its last attempt is recent


def test_a_send_that_never_reported_back_is_failed_not_sent_again(unifonic, queued):
    message = ask()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING)
    MessageAttempt.objects.create(message=message, number=1, started_at=timezone.now())
    requeued = []
    result = messages_sweep(requeue=requeued.append, now=timezone.now() + LATER)
    assert result == {"requeued": 0, "given_up": 1} and not requeued
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and "may have been sent" in message.error
    assert not unifonic.outbox()
