"""Celery task: send one message, retried with backoff while the provider may still take it."""

from celery import shared_task

from config.task_retry import RETRYING_TASK_OPTIONS, RetryLater
from messaging import reminders, sending, sweeper
from messaging.models import Message


@shared_task(name="messaging.tasks.send_message", **RETRYING_TASK_OPTIONS)
def send_message(self, message_id: int) -> str:
    status = sending.message_send(message_id=message_id, final_attempt=self.request.retries >= self.max_retries)
    if status == Message.Status.QUEUED:
        raise RetryLater(message_id)
    return status


@shared_task(name="messaging.tasks.queue_reminders")
def queue_reminders() -> int:
    return reminders.reminders_queue(enqueue=send_message.delay)


@shared_task(name="messaging.tasks.sweep_messages")
def sweep_messages() -> dict:
    return sweeper.messages_sweep(requeue=send_message.delay)
