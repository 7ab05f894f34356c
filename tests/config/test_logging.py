"""Structured logs: one JSON object per line in production, a request id on every line."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

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
