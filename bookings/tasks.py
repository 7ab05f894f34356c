"""Celery tasks: load a booking by id and call one service."""

from celery import shared_task
from django.conf import settings

from bookings.services import submission

_SEND_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (submission.RetryLater,),
    "max_retries": settings.PARTNER_MAX_RETRIES,
    "retry_backoff": settings.PARTNER_RETRY_BACKOFF_SECONDS,
    # Used when the backoff factor is 0 (tests): Celery would otherwise wait its 180 s default.
    "default_retry_delay": settings.PARTNER_RETRY_BACKOFF_SECONDS,
    "retry_backoff_max": settings.PARTNER_RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": True,
}


def _send(task, booking_id: int) -> str:
    result = submission.booking_send(
        booking_id=booking_id, retries_done=task.request.retries, max_retries=task.max_retries
    )
    if result is submission.SendResult.RETRY:
        raise submission.RetryLater(booking_id)
    return result.value


@shared_task(name="bookings.tasks.submit_booking", **_SEND_OPTIONS)
def submit_booking(self, booking_id: int) -> str:
    """Create a Sanar booking (video consultation or kids vaccination)."""
    return _send(self, booking_id)


@shared_task(name="bookings.tasks.enroll_patient", **_SEND_OPTIONS)
def enroll_patient(self, booking_id: int) -> str:
    """Enroll a patient with Sandicare."""
    return _send(self, booking_id)


@shared_task(name="bookings.tasks.sweep_stuck_bookings")
def sweep_stuck_bookings() -> dict:
    return submission.sweep_stuck_bookings()
