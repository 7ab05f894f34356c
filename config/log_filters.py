"""Filters that keep the console to one useful line per event (LOGGING in settings.py).

A 4xx is the client's doing, not a fault of ours: ``django.request`` says it in one line
with its reason, no traceback. ``runserver``'s access log (``django.server``) then leaves out
the lines ``django.request`` has already written, and the 2xx/3xx answers to URLs polled
on a timer, unless that logger is at DEBUG. Likewise Celery's INFO lines about the tasks beat
sends on a timer (the sweeper, every minute); their warnings and errors always show.
"""

import logging
import re

from django.conf import settings
from django.urls import Resolver404, resolve

# A booking's live status panel (htmx, every 2 s) and the health probes.
POLLED_URL_NAMES = frozenset({"bookings:status-panel", "monitoring:healthz", "monitoring:readyz"})


class ClientErrorWithoutTraceback(logging.Filter):
    def filter(self, record):
        status_code = getattr(record, "status_code", None)
        if status_code is not None and 400 <= status_code < 500:
            record.exc_info = None
            record.exc_text = None
        return True


def _polled(request_line: str) -> bool:
    parts = request_line.split()
    if len(parts) < 2:
        return False
    try:
        return resolve(parts[1].split("?", 1)[0]).view_name in POLLED_URL_NAMES
    except Resolver404:
        return False


class QuietAccessLog(logging.Filter):
    def filter(self, record):
        if getattr(record, "status_code", 0) >= 400:
            return False  # already logged by django.request, with the reason
        if record.args and isinstance(record.args[0], str) and _polled(record.args[0]):
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


class QuietPeriodicTasks(logging.Filter):
    def __init__(self):
        super().__init__()
        self.task_names = tuple(entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values())

    def filter(self, record):
        if record.levelno > logging.INFO:
            return True
        message = record.getMessage()
        if any(name in message for name in self.task_names):
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


SECRET_QUERY = re.compile(r"([?&](?:token|key|secret)=)[^&\s\"]*", re.IGNORECASE)


class MaskQuerySecrets(logging.Filter):
    """An access log line keeps a URL's ``?token=`` (the receipt webhook's secret) masked."""

    def filter(self, record):
        if record.args and isinstance(record.args, tuple) and isinstance(record.args[0], str):
            record.args = (SECRET_QUERY.sub(r"\1[redacted]", record.args[0]), *record.args[1:])
        return True
