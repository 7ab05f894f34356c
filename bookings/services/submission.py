"""Submitting a booking: staff's Book button queues a complete draft for the send task.

The send itself (claim, partner call, answer) is ``sending.booking_send``, run by the task.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bookings import selectors_enrollment, tasks
from bookings.models import Booking
from bookings.products import product_for
from bookings.services.conflicts import on_conflict
from bookings.services.transitions import booking_transition, lock_booking, lock_same_day_enrollment
from bookings.states import Status


class SameDayRepeat(Exception):  # noqa: N818 - a question for staff, not an error
    """The patient already has one for this service today: staff must confirm another."""

    def __init__(self, booking: Booking):
        self.booking = booking
        super().__init__(f"{booking}: already enrolled for this service today")


@on_conflict(attempts=2)
def booking_submit(*, booking_id: int, actor, repeat_confirmed: bool = False) -> Booking:
    """Queue a draft for sending. Submitting twice (double click, reloaded POST) queues once.

    For a product that asks before a same-day repeat, raises ``SameDayRepeat`` unless
    ``repeat_confirmed``; the check runs under the same-day lock, so of two drafts for the
    same patient, service and day submitted at once (two tabs), the second one asks.
    """
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status != Status.DRAFT:
            return booking
        product = product_for(booking)
        missing = [name for name in product.required_fields if not getattr(booking, name)]
        if missing:
            raise ValidationError(
                _("The booking is incomplete: %(fields)s missing.")
                % {"fields": ", ".join(_field_label(name) for name in missing)}
            )
        if product.confirm_same_day_repeat and not repeat_confirmed:
            lock_same_day_enrollment(booking)
            if selectors_enrollment.same_day_enrollments(booking).exists():
                raise SameDayRepeat(booking)
        booking.submitted_at = timezone.now()
        booking.quoted_amount, booking.quoted_currency = booking.amount, booking.currency
        booking_transition(
            booking=booking,
            to=Status.QUEUED,
            actor=actor,
            reason=gettext_noop("Submitted by staff"),
            update_fields=("submitted_at", "quoted_amount", "quoted_currency"),
        )
        enqueue_send(booking.pk)
    return booking


def _field_label(name: str) -> str:
    field = Booking._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def enqueue_send(booking_id: int) -> None:
    """Hand a queued booking to the send task once the transaction that queued it commits:
    a rolled-back booking never reaches a worker."""
    tasks.send_booking.delay_on_commit(booking_id)
