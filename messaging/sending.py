"""Sending one message, at most once: claimed in a short transaction with its attempt row
written, sent with no transaction open, then what happened stored on both. A redelivered
task finds the message claimed and does not send it again."""

import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from messaging import channels
from messaging.backends.base import Delivery
from messaging.errors import SendFailed
from messaging.models import Message, MessageAttempt
from monitoring import metrics

ERROR_MAX = MessageAttempt._meta.get_field("error").max_length


def message_send(*, message_id: int, final_attempt: bool) -> Message.Status:
    claimed = _claim(message_id)
    if isinstance(claimed, str):
        return Message.Status(claimed)
    message, attempt = claimed
    started = time.monotonic()
    try:
        delivery = _send(message, attempt=attempt.number)
    except SendFailed as failure:
        status = Message.Status.QUEUED if failure.retry and not final_attempt else Message.Status.FAILED
        outcome = MessageAttempt.Outcome.RETRYING if status == Message.Status.QUEUED else MessageAttempt.Outcome.FAILED
        _store(
            message,
            attempt,
            status=status,
            outcome=outcome,
            started=started,
            http_status=failure.http_status,
            call=failure.call,
            error=str(failure),
        )
        _count(message, "retrying" if status == Message.Status.QUEUED else "failed")
        return status
    _store(
        message,
        attempt,
        status=Message.Status.SENT,
        outcome=MessageAttempt.Outcome.SENT,
        started=started,
        http_status=delivery.http_status,
        call=delivery.call,
        delivery=delivery,
    )
    _count(message, "sent")
    return Message.Status.SENT


def _claim(message_id: int) -> tuple[Message, MessageAttempt] | str:
    """queued → sending with a new attempt row, or the status that stops the send."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("booking__partner", "booking__patient")
            .get(pk=message_id)
        )
        if message.status != Message.Status.QUEUED:
            return message.status
        number = message.attempt_log.count() + 1
        patient = message.booking.patient
        if patient is None or not patient.consents_to_messages:
            # Consent withdrawn after the message was asked for (a reminder queued by beat).
            MessageAttempt.objects.create(
                message=message,
                number=number,
                started_at=timezone.now(),
                outcome=MessageAttempt.Outcome.NOT_SENT,
                error=gettext_noop("The patient withdrew consent"),
            )
            message.status = Message.Status.FAILED
            message.save(update_fields=["status"])
            return message.status
        message.status = Message.Status.SENDING
        message.save(update_fields=["status"])
        attempt = MessageAttempt.objects.create(message=message, number=number, started_at=timezone.now())
    return message, attempt


def _send(message: Message, *, attempt: int) -> Delivery:
    try:
        return channels.send(message, attempt=attempt)
    except ValidationError as error:  # the address or the channel's setup changed since it was asked for
        raise SendFailed(" ".join(error.messages), retry=False) from error


def _store(message, attempt, *, status, outcome, started, http_status, call, error="", delivery=None) -> None:
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    attempt.outcome, attempt.http_status, attempt.error = outcome, http_status, error[:ERROR_MAX]
    attempt.call = call if call is not None and call.pk else None  # a call row the database refused
    changes = {"status": status}
    if delivery is not None:
        changes.update(
            provider=channels.provider(message.channel), provider_id=delivery.provider_id, sent_at=timezone.now()
        )
    with transaction.atomic():
        attempt.save(update_fields=["duration_ms", "outcome", "http_status", "call", "error"])
        Message.objects.filter(pk=message.pk, status=Message.Status.SENDING).update(**changes)


def _count(message: Message, outcome: str) -> None:
    metrics.MESSAGES.labels(message.channel, message.template, outcome).inc()
