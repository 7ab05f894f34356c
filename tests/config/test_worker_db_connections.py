"""A worker keeps its database connection from task to task, and replaces a broken one.

Drives the real lifecycle a worker runs around each task: Celery's Django fixup, then the
project's ``task_prerun``/``task_postrun`` handlers (config/celery.py), with the settings'
``CELERY_DB_REUSE_MAX``.
"""

import psycopg
import pytest
from celery.fixups.django import DjangoWorkerFixup
from celery.signals import task_postrun, task_prerun
from django.db import connection

from bookings.tasks import sweep_stuck_bookings
from config.celery import app


def run_tasks(count: int, *, between=None) -> list[int]:
    """Run ``count`` task lifecycles; the PostgreSQL backend pid each task's queries used."""
    fixup = DjangoWorkerFixup(app)
    task = sweep_stuck_bookings
    pids = []
    for _ in range(count):
        fixup.on_task_prerun(sender=task)
        task_prerun.send(sender=task, task_id="t", task=task, args=(), kwargs={})
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pids.append(cursor.fetchone()[0])
        task_postrun.send(sender=task, task_id="t", task=task, args=(), kwargs={}, retval=None, state="SUCCESS")
        fixup.on_task_postrun(sender=task)
        if between:
            between(pids[-1])
    return pids


@pytest.fixture
def persistent_connections():
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.close()
    yield
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_tasks_share_one_connection(persistent_connections):
    assert app.conf.get("CELERY_DB_REUSE_MAX") >= 100
    assert len(set(run_tasks(20))) == 1


@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_between_tasks_is_replaced_not_failed(persistent_connections):
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)

    def terminate(pid):
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    pids = run_tasks(3, between=terminate)
    assert len(set(pids)) == 3, "each task after the kill ran on a new connection"
