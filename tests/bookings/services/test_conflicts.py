"""Deadlocks and serialization failures: retried by the services, a clear page in the end."""

import psycopg
import pytest
from django.db import OperationalError
from django.urls import reverse

from bookings.services import conflicts, outcomes
from bookings.services.conflicts import is_conflict, on_conflict
from bookings.states import Status
from tests.factories import make_booking


def conflict(sqlstate_class=psycopg.errors.DeadlockDetected) -> OperationalError:
    error = OperationalError("deadlock detected")
    error.__cause__ = sqlstate_class("deadlock detected")
    return error


def failing(times: int, error_factory=conflict):
    calls = []

    def service():
        calls.append(1)
        if len(calls) <= times:
            raise error_factory()
        return "done"

    return service, calls


@pytest.fixture(autouse=True)
def no_pause(monkeypatch):
    monkeypatch.setattr(conflicts.time, "sleep", lambda seconds: None)


def test_deadlocks_and_serialization_failures_are_conflicts():
    assert is_conflict(conflict())
    assert is_conflict(conflict(psycopg.errors.SerializationFailure))
    assert not is_conflict(OperationalError("server closed the connection"))


def test_a_web_service_runs_once_more_after_a_conflict_then_gives_up():
    service, calls = failing(1)
    assert on_conflict(attempts=2)(service)() == "done" and len(calls) == 2
    service, calls = failing(2)
    with pytest.raises(OperationalError):
        on_conflict(attempts=2)(service)()
    assert len(calls) == 2


def test_other_errors_are_not_retried():
    service, calls = failing(1, lambda: OperationalError("server closed the connection"))
    with pytest.raises(OperationalError):
        on_conflict(attempts=3)(service)()
    assert len(calls) == 1


@pytest.mark.django_db
def test_inside_an_outer_transaction_nothing_is_retried():
    service, calls = failing(1)
    with pytest.raises(OperationalError):
        on_conflict(attempts=3)(service)()
    assert len(calls) == 1


def test_the_worker_keeps_trying_to_store_a_partner_answer(monkeypatch):
    assert outcomes.record_success.__wrapped__  # decorated
    service, calls = failing(outcomes.STORE_ATTEMPTS - 1, lambda: OperationalError("connection lost"))
    assert on_conflict(attempts=outcomes.STORE_ATTEMPTS, connection_lost=True)(service)() == "done"
    assert len(calls) == outcomes.STORE_ATTEMPTS


@pytest.mark.django_db
def test_a_conflict_that_outlived_the_retry_is_a_clear_page_not_a_500(client, operations_user, monkeypatch):
    booking = make_booking(status=Status.NEEDS_ATTENTION)

    def deadlocked(**kwargs):
        raise conflict()

    monkeypatch.setattr("bookings.services.actions.booking_retry", deadlocked)
    client.force_login(operations_user)
    response = client.post(reverse("bookings:detail-retry", args=[booking.pk]))
    assert response.status_code == 409
    assert "Nothing was sent to the partner twice" in response.content.decode()
