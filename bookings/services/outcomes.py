"""What a partner's answer to a create call does to the booking (CONTRACT.md §5)."""

from django.db import transaction

from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import Status
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

NO_SUBSCRIPTION_MESSAGE = (
    "No active Sandicare subscription matches this email and date of birth. "
    "Check the spelling of the email, the date of birth, and that the patient's subscription is active."
)

CREDENTIAL_MESSAGES = {
    Partner.Vendor.SANAR: "Sanar credentials need attention.",
    Partner.Vendor.SANDICARE: "Sandicare key needs attention.",
}


def record_success(*, booking_id: int, answer) -> None:
    """Store the partner's booking id / URL and the new state in one transaction."""
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status not in (Status.SUBMITTING, Status.VERIFY_WITH_PARTNER):
            return
        fields = ["upstream_response", "partner_message"]
        booking.upstream_response = answer.raw
        booking.partner_message = ""
        if booking.partner.code == Partner.Code.SANDICARE:
            booking.enrollment_url = answer.url
            fields.append("enrollment_url")
            target, reason = Status.ENROLLED, "Enrolled: link received"
        else:
            booking.upstream_booking_id = answer.booking_id
            booking.payment_url = answer.payment_url
            fields += ["upstream_booking_id", "payment_url"]
            if answer.amount is not None:
                booking.amount, booking.currency = answer.amount.amount, answer.amount.currency
                fields += ["amount", "currency"]
            target, reason = Status.AWAITING_PAYMENT, f"Booked as {answer.booking_id}: payment link received"
        booking_transition(
            booking=booking,
            to=target,
            reason=reason,
            upstream_call=_last_call(booking),
            update_fields=tuple(fields),
        )


def record_failure(*, booking_id: int, error: PartnerError, retries_left: bool, max_attempts: int):
    from bookings.services.submission import SendResult

    if isinstance(error, Unauthorized | SignatureMismatch) and getattr(error.call, "credential", None):
        credentials.mark_failing(error.call.credential, f"{type(error).__name__}: {error.partner_message}"[:300])
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status != Status.SUBMITTING:
            return SendResult.DONE
        target, reason, message = _failure_target(error, retries_left=retries_left, vendor=booking.partner.vendor)
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


def _failure_target(error: PartnerError, *, retries_left: bool, vendor: str) -> tuple[str, str, str]:
    """(new status, reason for the history, message for staff)."""
    partner_text = error.partner_message or str(error)
    credential_message = CREDENTIAL_MESSAGES[vendor]
    if isinstance(error, NoActiveCredential):
        return Status.NEEDS_ATTENTION, "No active credential", credential_message
    if isinstance(error, Unauthorized | SignatureMismatch):
        return Status.NEEDS_ATTENTION, f"Credential rejected ({error.outcome})", credential_message
    if isinstance(error, SlotUnavailable):
        return Status.SLOT_UNAVAILABLE, "Slot no longer available", partner_text
    if isinstance(error, ValidationFailed):
        return Status.FAILED, "Partner rejected the data", partner_text
    if isinstance(error, NotFound):
        if error.call is not None and error.call.partner.code == Partner.Code.SANDICARE:
            return Status.FAILED, "No active subscription", NO_SUBSCRIPTION_MESSAGE
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
