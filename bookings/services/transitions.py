"""The one place that changes ``Booking.status``."""

from django.db import transaction
from django.utils import timezone

from bookings.models import Booking, BookingEvent
from bookings.states import can_transition


class TransitionNotAllowed(Exception):
    def __init__(self, booking: Booking, target: str):
        self.booking = booking
        self.target = target
        super().__init__(f"{booking} cannot go from {booking.status} to {target}.")


def lock_booking(booking_id: int) -> Booking:
    """Reload and row-lock a booking; call inside ``transaction.atomic()``."""
    return Booking.objects.select_for_update().select_related("partner").get(pk=booking_id)


def booking_transition(
    *,
    booking: Booking,
    to: str,
    actor=None,
    reason: str = "",
    upstream_call=None,
    update_fields: tuple[str, ...] = (),
) -> Booking:
    """Move ``booking`` to ``to`` and record who, why and the partner attempt behind it.

    The caller holds the row lock (``lock_booking``) so two workers cannot both move it;
    ``update_fields`` names the other fields the caller changed on the same row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("booking_transition must run inside transaction.atomic() with the row locked.")
    if not can_transition(booking.status, to):
        raise TransitionNotAllowed(booking, to)
    from_status = booking.status
    booking.status = to
    booking.status_changed_at = timezone.now()
    booking.save(update_fields=["status", "status_changed_at", "updated_at", *update_fields])
    BookingEvent.objects.create(
        booking=booking,
        from_status=from_status,
        to_status=to,
        actor=actor,
        reason=reason,
        upstream_call=upstream_call,
    )
    return booking
