"""The one place that changes ``Booking.status``, and the locks every booking write takes.

Lock order (every path takes them in this order, never the other way round):
1. the booking row, ``lock_booking``: ``FOR NO KEY UPDATE OF`` the booking only. The partner
   row is joined for reading, never locked: inserting any booking takes ``FOR KEY SHARE`` on
   its partner row (the foreign-key check, deferred to COMMIT) and the day-totals triggers'
   rows, so a transaction holding the partner row while it waits on a day total deadlocks
   with every concurrent insert of a booking for that partner.
2. the same-day enrollment key, ``lock_same_day_enrollment`` (an advisory lock, released at
   COMMIT), taken only by ``booking_submit`` after the booking row.
Deadlocks and serialization failures that remain possible are retried by ``on_conflict``.
"""

from django.db import connection, transaction
from django.utils import timezone

from bookings.models import Booking, BookingEvent
from bookings.states import can_transition


class TransitionNotAllowed(Exception):
    def __init__(self, booking: Booking, target: str):
        self.booking = booking
        self.target = target
        super().__init__(f"{booking} cannot go from {booking.status} to {target}.")


def lock_booking(booking_id: int) -> Booking:
    """Reload and row-lock a booking (its row only); call inside ``transaction.atomic()``."""
    return Booking.objects.select_for_update(of=("self",), no_key=True).select_related("partner").get(pk=booking_id)


def lock_same_day_enrollment(booking: Booking) -> None:
    """Hold, until COMMIT, the key of this patient's enrollments for this service today, so two
    submissions cannot both find "no enrollment yet" (two tabs, two drafts)."""
    key = f"same-day-enrollment:{booking.partner_id}:{booking.email.lower()}:{booking.sandicare_service}:{timezone.localdate()}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])


def booking_transition(
    *,
    booking: Booking,
    to: str,
    actor=None,
    reason: str = "",
    reason_params: dict | None = None,
    upstream_call=None,
    update_fields: tuple[str, ...] = (),
) -> Booking:
    """Move ``booking`` to ``to`` and record who, why and the partner attempt behind it.

    The caller holds the row lock (``lock_booking``) so two workers cannot both move it;
    ``update_fields`` names the other fields the caller changed on the same row. ``reason`` is
    English marked with ``gettext_noop``, its ``%(name)s`` placeholders filled from ``reason_params``
    when read (``BookingEvent.reason_text``), so each reader reads it in their own language.
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
        reason_params=reason_params or {},
        upstream_call=upstream_call,
    )
    return booking
