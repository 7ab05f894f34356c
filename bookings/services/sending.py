"""Sending a queued booking to its partner: at most one create call per booking.

The database, not the broker, prevents a second booking (Celery delivers at least once):
1. a short transaction locks the booking, checks it is ``queued`` and marks it ``submitting``;
2. the partner call runs outside any transaction;
3. a second short transaction stores the answer and the new state (``outcomes``).
A delivery that finds ``submitting`` cannot know whether the partner acted, so it moves the
booking to ``verify_with_partner`` and never sends again.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext_noop

from bookings.models import Booking
from bookings.products import product_for
from bookings.services import outcomes
from bookings.services.conflicts import on_conflict
from bookings.services.outcomes import SendResult
from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import Status
from partners import credentials
from partners.errors import PartnerError

logger = logging.getLogger(__name__)


def booking_send(*, booking_id: int, retries_done: int, max_retries: int) -> SendResult:
    """Send one queued booking; called by the Celery task on every delivery."""
    booking = _claim(booking_id, max_attempts=max_retries + 1)
    if booking is None:
        return SendResult.DONE
    create_call = product_for(booking).create_call
    attempt = booking.upstream_calls.count() + 1
    try:
        credential = credentials.active_credential(booking.partner.code)
        answer = create_call(credential, booking=booking, attempt=attempt)
    except PartnerError as error:
        return outcomes.record_failure(
            booking_id=booking_id, error=error, retries_left=retries_done < max_retries, max_attempts=max_retries + 1
        )
    outcomes.record_success(booking_id=booking_id, answer=answer)
    return SendResult.DONE


@on_conflict(attempts=3)
def _claim(booking_id: int, *, max_attempts: int) -> Booking | None:
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status == Status.SUBMITTING:
            booking_transition(
                booking=booking,
                to=Status.VERIFY_WITH_PARTNER,
                reason=gettext_noop(
                    "Delivered again while a send was in flight: the partner may have booked it. "
                    "Check with the partner before sending again."
                ),
            )
            return None
        if booking.status != Status.QUEUED:
            logger.info("booking %s is %s: nothing to send", booking.reference, booking.status)
            return None
        booking.submit_attempts += 1
        booking_transition(
            booking=booking,
            to=Status.SUBMITTING,
            reason=gettext_noop("Sending to %(partner)s (attempt %(attempt)d of %(attempts)d)"),
            reason_params={
                "partner": str(booking.partner),
                "attempt": booking.submit_attempts,
                "attempts": max_attempts,
            },
            update_fields=("submit_attempts",),
        )
    return booking
