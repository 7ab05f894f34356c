"""Structured logs: one JSON object per line in production, a request id on every line."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from config.log_filters import MaskQuerySecrets, QuietAccessLog, QuietPeriodicTasks
from config.request_id import RequestIdFilter


def _json_handler(stream):
    config = settings.LOGGING["formatters"]["json"]
    formatter_class = import_string(config["()"])
    formatter = formatter_class(config["fmt"], rename_fields=config["rename_fields"])
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    return handler


@pytest.mark.django_db
def test_each_log_line_is_json_with_the_request_id(client, operations_user):
    stream = io.StringIO()
    handler = _json_handler(stream)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.force_login(operations_user)
        response = client.get("/no-such-page/", headers={"X-Request-ID": "req-123"})
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 404
    assert response["X-Request-ID"] == "req-123"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "the 404 was logged"
    assert all(line["request_id"] == "req-123" for line in lines)
    assert {"time", "level", "logger", "message"} <= set(lines[0])


@pytest.mark.django_db
def test_a_request_without_id_gets_one(client, operations_user):
    client.force_login(operations_user)
    response = client.get("/", headers={"X-Request-ID": "bad id with spaces"})
    assert len(response["X-Request-ID"]) == 32


def _console_lines():
    """A handler like the configured console one (its filters included), writing to a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(settings.LOGGING["formatters"]["text"]["format"]))
    handler.addFilter(RequestIdFilter())
    return stream, handler


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "status"), [("/settlements/", 403), ("/no-such-page/", 404)])
def test_a_client_error_is_one_line_without_traceback(client, operations_user, path, status):
    stream, handler = _console_lines()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        client.force_login(operations_user)
        response = client.get(path, headers={"X-Request-ID": "req-4xx"})
    finally:
        root.removeHandler(handler)
    assert response.status_code == status
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "[req-4xx] django.request:" in lines[0]
    assert "Traceback" not in stream.getvalue()


def _access_line(request_line: str, status: int) -> logging.LogRecord:
    level = logging.WARNING if status >= 400 else logging.INFO
    record = logging.LogRecord(
        "django.server", level, __file__, 1, '"%s" %s %s', (request_line, str(status), "10"), None
    )
    record.status_code = status
    return record


@pytest.mark.parametrize(
    ("request_line", "status", "shown"),
    [
        ("GET /bookings/7/status/panel/ HTTP/1.1", 200, False),  # htmx poll, every 2 s
        ("GET /readyz HTTP/1.1", 200, False),
        ("GET /bookings/7/status/ HTTP/1.1", 200, True),
        ("GET /bookings/?page=2 HTTP/1.1", 200, True),
        ("GET /no-such-page/ HTTP/1.1", 404, False),  # django.request has written it, with the reason
        ("GET /bookings/7/status/panel/ HTTP/1.1", 500, False),
    ],
)
def test_runserver_access_log_leaves_out_polls_and_repeats(request_line, status, shown):
    assert QuietAccessLog().filter(_access_line(request_line, status)) is shown


def test_polls_show_at_debug():
    logger = logging.getLogger("django.server")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        assert QuietAccessLog().filter(_access_line("GET /bookings/7/status/panel/ HTTP/1.1", 200))
    finally:
        logger.setLevel(level)


def test_periodic_task_lines_are_quiet_at_info_but_not_their_failures():
    quiet = QuietPeriodicTasks()

    def record(level, message, *args):
        return logging.LogRecord("celery.app.trace", level, __file__, 1, message, args, None)

    sweep = "bookings.tasks.sweep_stuck_bookings"
    assert not quiet.filter(record(logging.INFO, "Task %s[abc] succeeded in 0.1s", sweep))
    assert quiet.filter(record(logging.ERROR, "Task %s[abc] raised unexpected: OperationalError()", sweep))
    assert quiet.filter(record(logging.INFO, "Task %s[abc] succeeded in 0.1s", "bookings.tasks.submit_booking"))


def test_the_access_log_masks_a_token_in_the_query():
    record = _access_line("POST /messages/receipts/sms/?token=s3cr3t-value&x=1 HTTP/1.1", 200)
    assert MaskQuerySecrets().filter(record)
    assert "s3cr3t" not in record.getMessage() and "?token=[redacted]&x=1" in record.getMessage()
