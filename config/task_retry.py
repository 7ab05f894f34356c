"""The retry policy of the tasks that call out (a partner's create call, a message provider).

A task raises ``RetryLater`` when the other side certainly did not act; Celery then sends it
again with exponential backoff and jitter, up to ``PARTNER_MAX_RETRIES`` times.
"""

from django.conf import settings


class RetryLater(Exception):  # noqa: N818 - a signal to the task, not an error
    """Raised by a task so Celery schedules the next attempt with backoff and jitter."""


RETRYING_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (RetryLater,),
    "max_retries": settings.PARTNER_MAX_RETRIES,
    "retry_backoff": settings.PARTNER_RETRY_BACKOFF_SECONDS,
    # Used when the backoff factor is 0 (tests): Celery would otherwise wait its 180 s default.
    "default_retry_delay": settings.PARTNER_RETRY_BACKOFF_SECONDS,
    "retry_backoff_max": settings.PARTNER_RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": True,
}
