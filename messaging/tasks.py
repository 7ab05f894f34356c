"""Celery task: send one message, retried with backoff while the provider may still take it."""

from celery import shared_task
from django.conf import settings

from messaging import reminders, sending
from messaging.models import Message


class RetryLater(Exception):  # noqa: N818 - a signal to the task, not an error
    pass


@shared_task(
    name="messaging.tasks.send_message",
    bind=True,
    acks_late=True,
    autoretry_for=(RetryLater,),
    max_retries=settings.PARTNER_MAX_RETRIES,
    retry_backoff=settings.PARTNER_RETRY_BACKOFF_SECONDS,
    default_retry_delay=settings.PARTNER_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=settings.PARTNER_RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
)
def send_message(self, message_id: int) -> str:
    status = sending.message_send(message_id=message_id, final_attempt=self.request.retries >= self.max_retries)
    if status == Message.Status.QUEUED:
        raise RetryLater(message_id)
    return status


@shared_task(name="messaging.tasks.queue_reminders")
def queue_reminders() -> int:
    return reminders.reminders_queue(enqueue=send_message.delay)
