"""Sending one message, at most once: claimed in a short transaction, sent with no
transaction open, then what happened stored. A redelivered task finds it claimed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from messaging import channels
from messaging.errors import SendFailed
from messaging.models import Message
from monitoring import metrics


def message_send(*, message_id: int, final_attempt: bool) -> Message.Status:
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("booking__partner", "booking__patient")
            .get(pk=message_id)
        )
        if message.status != Message.Status.QUEUED:
            return message.status
        patient = message.booking.patient
        if patient is None or not patient.consents_to_messages:
            # Consent withdrawn after the message was asked for (a reminder queued by beat).
            message.status, message.error = Message.Status.FAILED, gettext_noop("The patient withdrew consent")
            message.save(update_fields=["status", "error"])
            return message.status
        message.status = Message.Status.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])
    try:
        provider_id = channels.send(message)
    except SendFailed as failure:
        status = Message.Status.QUEUED if failure.retry and not final_attempt else Message.Status.FAILED
        Message.objects.filter(pk=message.pk).update(status=status, error=str(failure)[:500])
        _count(message, "retrying" if status == Message.Status.QUEUED else "failed")
        return status
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT, provider_id=provider_id, sent_at=timezone.now(), error=""
    )
    _count(message, "sent")
    return Message.Status.SENT


def _count(message: Message, outcome: str) -> None:
    metrics.MESSAGES.labels(message.channel, message.template, outcome).inc()
