"""What a partner's answer to a create call does to the booking (CONTRACT.md §5)."""

import enum

from django.db import transaction

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

CREDENTIAL_MESSAGES = {
    Partner.Vendor.SANAR: "Sanar credentials need attention.",
    Partner.Vendor.SANDICARE: "Sandicare key needs attention.",
}


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
        fields, reason = product.store_answer(booking, answer)
        booking_transition(
            booking=booking,
            to=product.booked_status,
            reason=reason,
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
        if target == Status.QUEUED:
            reason = f"{reason}; retrying (attempt {booking.submit_attempts + 1} of {max_attempts})"
        booking.partner_message = message
        booking_transition(
            booking=booking,
            to=target,
            reason=reason,
            upstream_call=error.call,
            update_fields=("partner_message",),
        )
    return SendResult.RETRY if target == Status.QUEUED else SendResult.DONE


def _failure_target(error: PartnerError, *, retries_left: bool, booking) -> tuple[str, str, str]:
    """(new status, reason for the history, message for staff)."""
    partner_text = error.partner_message or str(error)
    credential_message = CREDENTIAL_MESSAGES[booking.partner.vendor]
    if isinstance(error, NoActiveCredential):
        return Status.NEEDS_ATTENTION, "No active credential", credential_message
    if isinstance(error, Unauthorized | SignatureMismatch):
        return Status.NEEDS_ATTENTION, f"Credential rejected ({error.outcome})", credential_message
    if isinstance(error, SlotUnavailable):
        return Status.SLOT_UNAVAILABLE, "Slot no longer available", partner_text
    if isinstance(error, ValidationFailed):
        return Status.FAILED, "Partner rejected the data", partner_text
    if isinstance(error, NotFound):
        if not_found_message := product_for(booking).not_found_message:
            return Status.FAILED, "No active subscription", not_found_message
        return Status.FAILED, "Partner no longer knows the selection (stale data)", partner_text
    if error.retry_safe:
        if retries_left:
            return Status.QUEUED, f"{error.outcome}: the partner did not act", partner_text
        return Status.NEEDS_ATTENTION, f"{error.outcome}: retries exhausted", partner_text
    return (
        Status.VERIFY_WITH_PARTNER,
        f"{error.outcome}: the partner may have acted",
        "We could not tell whether the partner created this booking. Check with the partner before sending again.",
    )


def _last_call(booking):
    return booking.upstream_calls.order_by("-created_at", "-id").first()
