"""Celery tasks: load a booking by id and call one service."""

from celery import shared_task

from bookings.services import sending, sweeper
from bookings.services.outcomes import SendResult
from config.task_retry import RETRYING_TASK_OPTIONS, RetryLater


@shared_task(name="bookings.tasks.send_booking", **RETRYING_TASK_OPTIONS)
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
