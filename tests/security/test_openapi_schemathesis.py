"""The REST API against its own OpenAPI schema, with schemathesis, in process (WSGI).

The schema is the one ``/api/schema/`` serves (drf-spectacular). Every operation gets
generated requests, as a finance user with an API token (finance may call all of them), on
a database holding a booking of each product and a settlement import: no answer is a 5xx,
and every documented answer matches its schema.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance

from bookings.states import Status
from tests.factories import make_booking, make_call, make_event

CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def finance_token(site_objects, persona_users) -> str:
    """A finance user's API token, with bookings in several states, calls and events to list."""
    booked = site_objects.booked
    make_event(
        booked, to_status=Status.AWAITING_PAYMENT, from_status=Status.SUBMITTING, actor=persona_users["operations"]
    )
    for status in (Status.ENROLLED, Status.RECONCILED, Status.NEEDS_ATTENTION, Status.DRAFT):
        make_call(booking=make_booking(status=status, amount=None, currency=""))
    return Token.objects.create(user=persona_users["finance"]).key


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, called in process. Like the test ``Client``, it must not close
    the database connection at the end of a request: that connection holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app, finance_token):
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", wsgi_app, headers={"Authorization": f"Token {finance_token}"}
    )


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_matches_its_schema_and_never_fails(case, finance_token):
    case.call_and_validate(headers={"Authorization": f"Token {finance_token}"}, checks=CHECKS)


@pytest.mark.django_db
def test_the_schema_covers_every_api_operation(api_schema):
    operations = {f"{op.ok().method.upper()} {op.ok().path}" for op in api_schema.get_all_operations()}
    assert operations >= {
        "GET /api/bookings/",
        "GET /api/bookings/{id}/",
        "GET /api/settlements/",
        "POST /api/settlements/",
        "GET /api/settlements/{id}/",
        "GET /api/settlements/{id}/lines/",
        "POST /api/settlements/{id}/confirm/",
    }
