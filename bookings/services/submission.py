"""Sending a booking to its partner: at most one create call per booking.

The database, not the broker, prevents a second booking (Celery delivers at least once):
1. a short transaction locks the booking, checks it is ``queued`` and marks it ``submitting``;
2. the partner call runs outside any transaction;
3. a second short transaction stores the answer and the new state.
A delivery that finds ``submitting`` cannot know whether the partner acted, so it moves the
booking to ``verify_with_partner`` and never sends again.
"""

import enum
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bookings.models import Booking
from bookings.services import outcomes
from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import Status
from partners import credentials
from partners.adapters import sanar_vaccination, sanar_video, sandicare
from partners.errors import PartnerError
from partners.models import Partner

logger = logging.getLogger(__name__)

CREATE_CALLS = {
    Partner.Code.SANAR_VIDEO: sanar_video.book,
    Partner.Code.SANAR_VACCINATION: sanar_vaccination.book,
    Partner.Code.SANDICARE: sandicare.enroll,
}
REQUIRED_FIELDS = {
    Partner.Code.SANAR_VIDEO: (
        "speciality_id",
        "doctor_id",
        "appointment_date",
        "slot_id",
        "patient_name",
        "mobile",
        "email",
        "patient_gender",
        "patient_dob",
    ),
    Partner.Code.SANAR_VACCINATION: (
        "service_ids",
        "provider_id",
        "appointment_date",
        "slot_id",
        "patient_name",
        "patient_dob",
        "patient_gender",
        "guardian_name",
        "mobile",
        "email",
    ),
    Partner.Code.SANDICARE: ("program_id", "sandicare_service", "email", "patient_dob"),
}


class RetryLater(Exception):  # noqa: N818 - a signal to the task, not an error
    """Raised by the task so Celery schedules the next attempt with backoff and jitter."""


class SendResult(enum.Enum):
    DONE = "done"
    RETRY = "retry"


def booking_submit(*, booking_id: int, actor) -> Booking:
    """Queue a draft for sending. Submitting twice (double click, reloaded POST) queues once."""
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status != Status.DRAFT:
            return booking
        missing = [name for name in REQUIRED_FIELDS[booking.partner.code] if not getattr(booking, name)]
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
        transaction.on_commit(lambda: enqueue_send(booking))
    return booking


def enqueue_send(booking: Booking) -> None:
    from bookings import tasks

    task = tasks.enroll_patient if booking.partner.code == Partner.Code.SANDICARE else tasks.submit_booking
    task.delay(booking.pk)


def booking_send(*, booking_id: int, retries_done: int, max_retries: int) -> SendResult:
    """Send one queued booking; called by the Celery task on every delivery."""
    booking = _claim(booking_id, max_attempts=max_retries + 1)
    if booking is None:
        return SendResult.DONE
    create_call = CREATE_CALLS[booking.partner.code]
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


def _claim(booking_id: int, *, max_attempts: int) -> Booking | None:
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status == Status.SUBMITTING:
            booking_transition(
                booking=booking,
                to=Status.VERIFY_WITH_PARTNER,
                reason="Delivered again while a send was in flight: the partner may have booked it. "
                "Check with the partner before sending again.",
            )
            return None
        if booking.status != Status.QUEUED:
            logger.info("booking %s is %s: nothing to send", booking.reference, booking.status)
            return None
        booking.submit_attempts += 1
        booking_transition(
            booking=booking,
            to=Status.SUBMITTING,
            reason=f"Sending to {booking.partner} (attempt {booking.submit_attempts} of {max_attempts})",
            update_fields=("submit_attempts",),
        )
    return booking


def sweep_stuck_bookings(*, now=None) -> dict[str, int]:
    """Re-enqueue bookings whose enqueue was lost; flag sends that never came back."""
    now = now or timezone.now()
    queued_before = now - timezone.timedelta(seconds=settings.QUEUED_STUCK_AFTER_SECONDS)
    submitting_before = now - timezone.timedelta(seconds=settings.SUBMITTING_STUCK_AFTER_SECONDS)
    requeued = 0
    for booking in Booking.objects.filter(status=Status.QUEUED, status_changed_at__lt=queued_before).select_related(
        "partner"
    ):
        enqueue_send(booking)
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
                    reason="The send never reported back (worker lost?): check with the partner.",
                )
                flagged += 1
    return {"requeued": requeued, "flagged": flagged}
