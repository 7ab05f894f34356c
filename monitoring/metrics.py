"""Prometheus metrics: what is measured, and the registry ``/metrics`` and the worker serve.

Counters and histograms live in the process that observes them. Several processes of one
kind (gunicorn workers, prefork worker children) share them through
``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode; the folder is emptied
before the processes start). Bookings by status and the queue length are read at scrape time.
"""

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY

# Partner answers take 50 ms to the 15 s read timeout; pages take milliseconds to seconds.
PARTNER_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30)
REQUEST_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

REQUEST_DURATION = Histogram(
    "portal_http_request_duration_seconds",
    "Time to answer a request, by view (URL name), method and status class.",
    ["view", "method", "status"],
    buckets=REQUEST_BUCKETS,
)
PARTNER_CALLS = Counter(
    "portal_partner_calls_total",
    "Partner API attempts, by partner, operation, outcome (UpstreamCall.Outcome) and the side the outcome is on "
    "(ok, partner_failure, request_answer, credential_problem).",
    ["partner", "operation", "outcome", "side"],
)
PARTNER_CALL_DURATION = Histogram(
    "portal_partner_call_duration_seconds",
    "Partner API attempt latency, by partner, operation and outcome.",
    ["partner", "operation", "outcome"],
    buckets=PARTNER_BUCKETS,
)
CELERY_TASKS = Counter(
    "portal_celery_tasks_total",
    "Celery tasks finished, by task name and outcome (succeeded, failed, retried, rejected).",
    ["task", "outcome"],
)
MESSAGES = Counter(
    "portal_messages_total",
    "Messages to patients, each send attempt by channel, template and outcome (sent, retrying, failed).",
    ["channel", "template", "outcome"],
)


def observe_partner_call(*, partner: str, operation: str, outcome: str, side: str, latency_ms: int) -> None:
    PARTNER_CALLS.labels(partner, operation, outcome, side).inc()
    PARTNER_CALL_DURATION.labels(partner, operation, outcome).observe(latency_ms / 1000)


class BookingsByStatus:
    """``portal_bookings{partner, status}``: from the day totals PostgreSQL keeps (a few
    thousand rows at 100k bookings), so a scrape never scans the bookings."""

    def collect(self):
        from django.db.models import Sum

        from bookings.models import BookingDayTotal

        gauge = GaugeMetricFamily("portal_bookings", "Bookings by partner and status.", labels=["partner", "status"])
        rows = BookingDayTotal.objects.values_list("partner__code", "status").annotate(count=Sum("bookings"))
        for partner, status, count in rows.order_by("partner__code", "status"):
            gauge.add_metric([partner, status], count or 0)
        yield gauge


class QueueLength:
    """``portal_celery_queue_length{queue}``: tasks waiting in the broker (not those a worker
    holds). Asked at scrape time; no sample when the broker does not answer (``/readyz`` says so)."""

    def collect(self):
        from config.celery import app

        gauge = GaugeMetricFamily("portal_celery_queue_length", "Tasks waiting in the broker.", labels=["queue"])
        queue = app.conf.task_default_queue
        try:
            with app.connection_for_read() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
                waiting = connection.default_channel.queue_declare(queue, passive=True).message_count
        except Exception:  # noqa: BLE001 - a scrape must not fail with the broker
            waiting = None
        if waiting is not None:
            gauge.add_metric([queue], waiting)
        yield gauge


def registry(*, bookings: bool = True) -> CollectorRegistry:
    """This process's metrics, or every process's in multiprocess mode; bookings by status
    on the web's ``/metrics`` only (the worker's would repeat them)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        combined = CollectorRegistry()
        multiprocess.MultiProcessCollector(combined)
    else:
        combined = CollectorRegistry()
        combined.register(_Process())
    if bookings:
        combined.register(BookingsByStatus())
        combined.register(QueueLength())
    return combined


class _Process:
    """The default registry's collectors (this process's metrics) inside another registry."""

    def collect(self):
        yield from REGISTRY.collect()
