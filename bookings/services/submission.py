"""Submitting a booking: staff's Book button queues a complete draft for the send task.

The send itself (claim, partner call, answer) is ``sending.booking_send``, run by the task.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bookings import tasks
from bookings.models import Booking
from bookings.products import product_for
from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import Status


def booking_submit(*, booking_id: int, actor) -> Booking:
    """Queue a draft for sending. Submitting twice (double click, reloaded POST) queues once."""
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status != Status.DRAFT:
            return booking
        missing = [name for name in product_for(booking).required_fields if not getattr(booking, name)]
        if missing:
            raise ValidationError(f"The booking is incomplete: {', '.join(missing)} missing.")
        booking.submitted_at = timezone.now()
        booking_transition(
            booking=booking,
            to=Status.QUEUED,
            actor=actor,
            reason="Submitted by staff",
            update_fields=("submitted_at",),
        )
        enqueue_send(booking.pk)
    return booking


def enqueue_send(booking_id: int) -> None:
    """Hand a queued booking to the send task once the transaction that queued it commits:
    a rolled-back booking never reaches a worker."""
    tasks.send_booking.delay_on_commit(booking_id)  # type: ignore[attr-defined]  # DjangoTask has it; celery-types does not
