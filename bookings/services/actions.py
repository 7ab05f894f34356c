"""What staff do to a booking by hand: cancel, retry, reopen, resolve an unknown outcome."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from bookings.models import Booking
from bookings.products import product_for
from bookings.services.conflicts import on_conflict
from bookings.services.submission import enqueue_send
from bookings.services.transitions import TransitionNotAllowed, booking_transition, lock_booking
from bookings.states import EDITABLE, Status

_https_url = URLValidator(schemes=["https"], message=gettext_lazy("Enter the partner's https:// link."))


@on_conflict(attempts=2)
def booking_cancel(*, booking_id: int, actor, reason: str = gettext_noop("Cancelled by staff")) -> Booking:
    with transaction.atomic():
        booking = lock_booking(booking_id)
        return booking_transition(booking=booking, to=Status.CANCELLED, actor=actor, reason=reason)


@on_conflict(attempts=2)
def booking_retry(*, booking_id: int, actor) -> Booking:
    """Send a booking again after a person checked why it needed attention."""
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status != Status.NEEDS_ATTENTION:
            raise TransitionNotAllowed(booking, Status.QUEUED)
        # A new round of attempts: the task starts its retries afresh, and the status page counts from 1.
        booking.submit_attempts = 0
        booking_transition(
            booking=booking,
            to=Status.QUEUED,
            actor=actor,
            reason=gettext_noop("Retried by staff"),
            update_fields=("submit_attempts",),
        )
        enqueue_send(booking.pk)
    return booking


@on_conflict(attempts=2)
def booking_reopen(*, booking_id: int, actor) -> Booking:
    """Bring a booking that needs attention back to draft, everything typed kept, so staff can
    choose another slot or provider. The partner did not book it (``needs_attention`` is only
    reached when the partner certainly did not act). A booking already editable is left as it is."""
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status in EDITABLE:
            return booking
        if booking.status != Status.NEEDS_ATTENTION:
            raise TransitionNotAllowed(booking, Status.DRAFT)
        return booking_transition(
            booking=booking,
            to=Status.DRAFT,
            actor=actor,
            reason=gettext_noop("Reopened by staff to choose another slot or provider"),
        )


@on_conflict(attempts=2)
def booking_resolve_verification(
    *,
    booking_id: int,
    actor,
    booked: bool,
    upstream_booking_id: str = "",
    handoff_url: str = "",
    reason: str = "",
) -> Booking:
    """Record what the partner confirmed for a booking whose outcome was unknown."""
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if not booked:
            return booking_transition(
                booking=booking,
                to=Status.FAILED,
                actor=actor,
                reason=reason or gettext_noop("The partner confirmed no booking was made"),
            )
        errors: dict[str, str | list[str]] = {}
        product = product_for(booking)
        if not product.is_enrollment and not upstream_booking_id.strip():
            errors["upstream_booking_id"] = _("Enter the booking id the partner confirms.")
        try:
            _https_url(handoff_url)
        except ValidationError as exc:
            errors["handoff_url"] = exc.messages
        if errors:
            raise ValidationError(errors)
        fields: tuple[str, ...]
        if product.is_enrollment:
            booking.enrollment_url = handoff_url
            fields = ("enrollment_url",)
        else:
            booking.upstream_booking_id = upstream_booking_id.strip()
            booking.payment_url = handoff_url
            fields = ("upstream_booking_id", "payment_url")
        return booking_transition(
            booking=booking,
            to=product.booked_status,
            actor=actor,
            reason=reason or gettext_noop("Confirmed with the partner by staff"),
            update_fields=fields,
        )
