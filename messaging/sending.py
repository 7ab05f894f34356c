"""Sending one message, at most once: claimed in a short transaction, sent with no
transaction open, then what happened stored. A redelivered task finds it claimed."""

from django.db import transaction
from django.utils import timezone

from messaging import channels
from messaging.errors import SendFailed
from messaging.models import Message


def message_send(*, message_id: int, final_attempt: bool) -> Message.Status:
    with transaction.atomic():
        message = Message.objects.select_for_update().select_related("booking__partner").get(pk=message_id)
        if message.status != Message.Status.QUEUED:
            return message.status
        message.status = Message.Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])
    try:
        provider_id = channels.send(message)
    except SendFailed as failure:
        status = Message.Status.QUEUED if failure.retry and not final_attempt else Message.Status.FAILED
        Message.objects.filter(pk=message.pk).update(status=status, error=str(failure)[:500])
        return status
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT, provider_id=provider_id, sent_at=timezone.now(), error=""
    )
    return Message.Status.SENT
