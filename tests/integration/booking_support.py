"""Helpers of the Sanar booking tests that run a real Celery worker."""

import threading

from django.db import connection
from django.test import Client

from bookings.models import Booking
from bookings.states import Status
from tests.worker_fixtures import wait_for

FINAL = (
    Status.AWAITING_PAYMENT,
    Status.SLOT_UNAVAILABLE,
    Status.FAILED,
    Status.NEEDS_ATTENTION,
    Status.VERIFY_WITH_PARTNER,
)


def settled(booking_id, *states):
    return wait_for(lambda: Booking.objects.filter(pk=booking_id, status__in=states or FINAL).first(), timeout=30)


def post_in_threads(user, path, count):
    """``count`` clients of the same user POST at the same moment (a double click)."""
    barrier, statuses = threading.Barrier(count), []

    def post():
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            statuses.append(client.post(path).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses
