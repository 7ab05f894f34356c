import os

from celery import Celery
from celery.signals import (
    setup_logging,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
    task_success,
    worker_ready,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _task_id_as_request_id(task_id=None, **_):
    from config.request_id import request_id_var

    request_id_var.set(f"task-{task_id}")


@task_prerun.connect
@task_postrun.connect
def _close_old_db_connections(task=None, **_):
    """Between tasks, the rule Django applies between requests: a connection is kept until
    ``CONN_MAX_AGE`` and checked before reuse (``CONN_HEALTH_CHECKS``), so a database restart
    costs one reconnect, not a failed task (``CELERY_DB_REUSE_MAX`` in settings says why)."""
    from django.db import close_old_connections

    if task is not None and task.request.is_eager:
        return  # run in the caller's process and transaction (``apply()``): its connection is not ours to close

    close_old_connections()


@setup_logging.connect
def _log_as_django_does(**_):
    """Worker and beat log through settings.LOGGING (the request id, JSON in production), not
    through handlers of Celery's own in another format."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


def _count_task(outcome: str):
    def count(sender=None, **_):
        from monitoring.metrics import CELERY_TASKS

        CELERY_TASKS.labels(getattr(sender, "name", "unknown"), outcome).inc()

    return count


for _signal, _outcome in ((task_success, "succeeded"), (task_failure, "failed"), (task_retry, "retried")):
    _signal.connect(_count_task(_outcome), weak=False)


@worker_ready.connect
def _serve_worker_metrics(**_):
    """The worker's own /metrics (its tasks and partner calls) on CELERY_METRICS_PORT, when set.
    Reach it only from the monitoring network: it has no token (docs/operations.md)."""
    from django.conf import settings

    if settings.CELERY_METRICS_PORT:
        from prometheus_client import start_http_server

        from monitoring.metrics import registry

        start_http_server(settings.CELERY_METRICS_PORT, registry=registry(bookings=False))
