"""The safety net for sends the broker lost: run by the beat schedule every minute."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from bookings.models import Booking
from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import Status


def sweep_stuck_bookings(*, requeue: Callable[[int], object], now=None) -> dict[str, int]:
    """Hand bookings whose enqueue was lost to ``requeue`` (the send task, by booking id);
    flag sends that never came back for a person to check with the partner."""
    now = now or timezone.now()
    queued_before = now - datetime.timedelta(seconds=settings.QUEUED_STUCK_AFTER_SECONDS)
    submitting_before = now - datetime.timedelta(seconds=settings.SUBMITTING_STUCK_AFTER_SECONDS)
    requeued = 0
    for booking_id in Booking.objects.filter(status=Status.QUEUED, status_changed_at__lt=queued_before).values_list(
        "pk", flat=True
    ):
        requeue(booking_id)
        requeued += 1
    flagged = 0
    for booking_id in Booking.objects.filter(
        status=Status.SUBMITTING, status_changed_at__lt=submitting_before
    ).values_list("pk", flat=True):
        with transaction.atomic():
            booking = lock_booking(booking_id)
            if booking.status == Status.SUBMITTING and booking.status_changed_at < submitting_before:
                booking_transition(
                    booking=booking,
                    to=Status.VERIFY_WITH_PARTNER,
                    reason=gettext_noop("The send never reported back (worker lost?): check with the partner."),
                )
                flagged += 1
    return {"requeued": requeued, "flagged": flagged}
