"""Erasing what message rows still say about their recipient, for bookings past retention."""

from collections.abc import Iterable

from django.db.models import QuerySet

from messaging.models import Message, MessageAttempt
from partners.redaction import REDACTED, scrub


def messages_of_bookings(booking_ids) -> QuerySet[Message]:
    return Message.objects.filter(booking_id__in=_ids(booking_ids))


def provider_calls(booking_ids) -> dict[int, int]:
    """``{call id: booking id}`` of the SMS and WhatsApp provider calls made for these bookings'
    messages: the call log holds them without a booking, reached through the attempts."""
    attempts = MessageAttempt.objects.filter(message__booking_id__in=_ids(booking_ids), call__isnull=False)
    return dict(attempts.values_list("call_id", "message__booking_id"))


def messages_erase(sensitive_by_booking: dict[int, tuple[str, ...]]) -> int:
    """The masked recipient goes (its last digits and domain still point at a person), and the
    booking's identifying values leave the attempts' errors; channel, template, status, receipts
    and times stay. Returns the number of messages changed."""
    messages = list(messages_of_bookings(sensitive_by_booking).only("id", "booking_id", "recipient_masked"))
    for message in messages:
        message.recipient_masked = REDACTED
    Message.objects.bulk_update(messages, ["recipient_masked"], batch_size=500)
    booking_of = {message.pk: message.booking_id for message in messages}
    attempts = list(
        MessageAttempt.objects.filter(message_id__in=list(booking_of))
        .exclude(error="")
        .only("id", "message_id", "error")
    )
    for attempt in attempts:
        attempt.error = scrub(attempt.error, sensitive_by_booking[booking_of[attempt.message_id]])
    MessageAttempt.objects.bulk_update(attempts, ["error"], batch_size=500)
    return len(messages)


def _ids(booking_ids: Iterable[int]) -> QuerySet | list[int]:
    """A subquery stays one (``values_list("pk")``); a dict or a list of ids becomes a list."""
    return booking_ids if isinstance(booking_ids, QuerySet) else list(booking_ids)
