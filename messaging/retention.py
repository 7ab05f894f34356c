"""Erasing what a message row still says about its recipient, for bookings past retention."""

from collections.abc import Iterable

from django.db.models import QuerySet

from messaging.models import Message
from partners.redaction import REDACTED, scrub


def messages_of_bookings(booking_ids: Iterable[int]) -> QuerySet[Message]:
    return Message.objects.filter(booking_id__in=_ids(booking_ids))


def messages_erase(sensitive_by_booking: dict[int, tuple[str, ...]]) -> int:
    """The masked recipient goes (its last digits and domain still point at a person), and the
    booking's identifying values leave the provider's error; channel, template, status and
    times stay. Returns the number of messages changed."""
    messages = list(messages_of_bookings(sensitive_by_booking).only("id", "booking_id", "recipient_masked", "error"))
    for message in messages:
        message.recipient_masked = REDACTED
        message.error = scrub(message.error, sensitive_by_booking[message.booking_id])
    Message.objects.bulk_update(messages, ["recipient_masked", "error"], batch_size=500)
    return len(messages)


def _ids(booking_ids) -> QuerySet | list[int]:
    """A subquery stays one (``values_list("pk")``); a dict or a list of ids becomes a list."""
    return booking_ids if isinstance(booking_ids, QuerySet) else list(booking_ids)
