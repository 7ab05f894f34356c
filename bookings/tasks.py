"""Celery tasks: load a booking by id and call one service."""

from celery import shared_task
from django.conf import settings

from bookings.services import sending, sweeper
from bookings.services.outcomes import SendResult


class RetryLater(Exception):  # noqa: N818 - a signal to the task, not an error
    """Raised by the task so Celery schedules the next attempt with backoff and jitter."""


@shared_task(
    name="bookings.tasks.send_booking",
    bind=True,
    acks_late=True,
    autoretry_for=(RetryLater,),
    max_retries=settings.PARTNER_MAX_RETRIES,
    retry_backoff=settings.PARTNER_RETRY_BACKOFF_SECONDS,
    # Used when the backoff factor is 0 (tests): Celery would otherwise wait its 180 s default.
    default_retry_delay=settings.PARTNER_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=settings.PARTNER_RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
)
def send_booking(self, booking_id: int) -> str:
    """Make the partner's create call for one booking, whatever its product."""
    result = sending.booking_send(
        booking_id=booking_id, retries_done=self.request.retries, max_retries=self.max_retries
    )
    if result is SendResult.RETRY:
        raise RetryLater(booking_id)
    return result.value


@shared_task(name="bookings.tasks.sweep_stuck_bookings")
def sweep_stuck_bookings() -> dict:
    return sweeper.sweep_stuck_bookings(requeue=send_booking.delay)
