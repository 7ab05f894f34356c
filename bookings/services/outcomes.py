"""What a partner's answer to a create call does to the booking (CONTRACT.md §5)."""

import enum

from django.db import transaction
from django.utils.translation import gettext_noop

from bookings.products import product_for
from bookings.services.conflicts import on_conflict
from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import AWAITING_ANSWER, Status
from partners import credentials
from partners.errors import (
    NoActiveCredential,
    NotFound,
    PartnerError,
    SignatureMismatch,
    SlotUnavailable,
    Unauthorized,
    ValidationFailed,
)
from partners.models import Partner

# Stored on the booking in English and read in each reader's language (``Booking.partner_message_text``).
CREDENTIAL_MESSAGES = {
    Partner.Vendor.SANAR: gettext_noop("Sanar credentials need attention."),
    Partner.Vendor.SANDICARE: gettext_noop("Sandicare key needs attention."),
}
UNKNOWN_OUTCOME_MESSAGE = gettext_noop(
    "We could not tell whether the partner created this booking. Check with the partner before sending again."
)


# The partner has answered: its answer must be stored even if the database stumbles (a deadlock,
# a lost connection), or the booking would stay ``submitting`` and its link be lost.
STORE_ATTEMPTS = 5


class SendResult(enum.Enum):
    DONE = "done"
    RETRY = "retry"


@on_conflict(attempts=STORE_ATTEMPTS, pause_s=0.1, connection_lost=True)
def record_success(*, booking_id: int, answer) -> None:
    """Store the partner's booking id / URL and the new state in one transaction."""
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status not in AWAITING_ANSWER:
            return
        product = product_for(booking)
        booking.upstream_response = answer.raw
        booking.partner_message = ""
        fields, reason, reason_params = product.store_answer(booking, answer)
        booking_transition(
            booking=booking,
            to=product.booked_status,
            reason=reason,
            reason_params=reason_params,
            upstream_call=_last_call(booking),
            update_fields=("upstream_response", "partner_message", *fields),
        )


def record_failure(*, booking_id: int, error: PartnerError, retries_left: bool, max_attempts: int) -> SendResult:
    if isinstance(error, Unauthorized | SignatureMismatch) and getattr(error.call, "credential", None):
        credentials.mark_failing(error.call.credential, f"{type(error).__name__}: {error.partner_message}"[:300])
    return _store_failure(booking_id=booking_id, error=error, retries_left=retries_left, max_attempts=max_attempts)


@on_conflict(attempts=STORE_ATTEMPTS, pause_s=0.1, connection_lost=True)
def _store_failure(*, booking_id: int, error: PartnerError, retries_left: bool, max_attempts: int) -> SendResult:
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status != Status.SUBMITTING:
            return SendResult.DONE
        target, reason, message = _failure_target(error, retries_left=retries_left, booking=booking)
        params: dict[str, str | int] = {"outcome": error.outcome}
        if target == Status.QUEUED:
            reason = gettext_noop(
                "%(outcome)s: the partner did not act; retrying (attempt %(attempt)d of %(attempts)d)"
            )
            params.update(attempt=booking.submit_attempts + 1, attempts=max_attempts)
        booking.partner_message = message
        booking_transition(
            booking=booking,
            to=target,
            reason=reason,
            reason_params=params,
            upstream_call=error.call,
            update_fields=("partner_message",),
        )
    return SendResult.RETRY if target == Status.QUEUED else SendResult.DONE


def _failure_target(error: PartnerError, *, retries_left: bool, booking) -> tuple[str, str, str]:
    """(new status, reason for the history with an ``%(outcome)s`` placeholder or none, message for staff).

    The reasons and the portal's own messages are English marked with ``gettext_noop``: stored
    as such, read in each reader's language. ``partner_text`` is the partner's, kept as sent.
    """
    partner_text = error.partner_message or str(error)
    credential_message = CREDENTIAL_MESSAGES[booking.partner.vendor]
    if isinstance(error, NoActiveCredential):
        return Status.NEEDS_ATTENTION, gettext_noop("No active credential"), credential_message
    if isinstance(error, Unauthorized | SignatureMismatch):
        return Status.NEEDS_ATTENTION, gettext_noop("Credential rejected (%(outcome)s)"), credential_message
    if isinstance(error, SlotUnavailable):
        return Status.SLOT_UNAVAILABLE, gettext_noop("Slot no longer available"), partner_text
    if isinstance(error, ValidationFailed):
        return Status.FAILED, gettext_noop("Partner rejected the data"), partner_text
    if isinstance(error, NotFound):
        if not_found_message := product_for(booking).not_found_message:
            return Status.FAILED, gettext_noop("No active subscription"), not_found_message
        return Status.FAILED, gettext_noop("Partner no longer knows the selection (stale data)"), partner_text
    if error.retry_safe:
        if retries_left:
            return Status.QUEUED, gettext_noop("%(outcome)s: the partner did not act"), partner_text
        return Status.NEEDS_ATTENTION, gettext_noop("%(outcome)s: retries exhausted"), partner_text
    return Status.VERIFY_WITH_PARTNER, gettext_noop("%(outcome)s: the partner may have acted"), UNKNOWN_OUTCOME_MESSAGE


def _last_call(booking):
    return booking.upstream_calls.order_by("-created_at", "-id").first()
