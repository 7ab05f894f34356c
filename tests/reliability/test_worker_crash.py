"""SIGKILL of the Celery worker while booking tasks are inside the upstream call, on Redis and
on RabbitMQ.

Redis redelivers an unacknowledged task once its ``visibility_timeout`` has passed; the
worker for this test uses 5 s (``CELERY_VISIBILITY_TIMEOUT``) instead of the production hour.
RabbitMQ requeues it as soon as the killed worker's connection closes. The redelivered task
finds the booking ``submitting`` and flags it ``verify_with_partner``: never a second create.
Tasks still queued behind the killed ones are sent once, normally.
"""

import time

import pytest

from bookings.states import Status
from partners.models import Partner
from tests.reliability import report
from tests.reliability.faults import ROWS_BY_LABEL, Plan
from tests.reliability.infra import Worker, publishing_to
from tests.worker_fixtures import wait_for, worker_env

pytestmark = pytest.mark.worker
VISIBILITY_TIMEOUT = 5
HOLD_S = 8  # the partner keeps the worker waiting this long (the kill comes well before)
CONTROL = ROWS_BY_LABEL["no fault (control)"]
REDELIVERED = "Delivered again while a send was in flight"


def test_sigkill_inside_the_upstream_call_never_books_twice(private_broker, portal, tmp_path):
    on_redis = private_broker.url.startswith("redis")
    env = worker_env(
        CELERY_BROKER_URL=private_broker.url,
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        PARTNER_READ_TIMEOUT="30",  # the worker is still waiting for the answer when it is killed
    )
    worker = Worker(env, tmp_path / "worker.log", concurrency=3, name="crash")
    worker.start()
    started = time.monotonic()
    try:
        with publishing_to(private_broker.url):
            # Partner acted, answer not sent yet (video, Sandicare); partner has not acted yet (vaccination).
            acted = Plan(("read_timeout_after_accept",), sleep_s=HOLD_S)
            plans = {
                Partner.Code.SANAR_VIDEO: acted,
                Partner.Code.SANAR_VACCINATION: Plan(hold_s=HOLD_S),
                Partner.Code.SANDICARE: acted,
            }
            in_flight = {}
            for code, plan in plans.items():
                case = in_flight[code] = portal.draft(code, CONTROL)
                portal.router.plan(case.reference, plan)
                portal.submit(case)
            wait_for(lambda: all(portal.router.calls[case.reference] for case in in_flight.values()), timeout=15)
            behind = [portal.draft(code, CONTROL) for code in plans]  # the worker is full: these wait in Redis
            for case in behind:
                portal.submit(case)
            wait_for(lambda: private_broker.llen("celery") == len(behind), timeout=10)

            worker.kill()  # SIGKILL to the worker and its pool processes
            for case in in_flight.values():
                case.booking.refresh_from_db()
                assert case.booking.status == Status.SUBMITTING
            if on_redis:
                time.sleep(VISIBILITY_TIMEOUT + 1)  # the killed tasks become visible again
            else:
                wait_for(lambda: private_broker.llen("celery") == len(behind) + len(in_flight), timeout=10)
            worker.start()
            assert not portal.settle([*in_flight.values(), *behind], timeout=60), worker.log()[-3000:]
            held = in_flight[Partner.Code.SANAR_VACCINATION]  # the partner acts after the hold, client gone
            wait_for(lambda: portal.router.creates[held.reference], timeout=HOLD_S + 5)
    finally:
        worker.stop()

    for case in in_flight.values():
        reasons = list(case.booking.events.values_list("reason", flat=True))
        assert case.booking.status == Status.VERIFY_WITH_PARTNER, reasons
        assert any(REDELIVERED in reason for reason in reasons), "the task was not redelivered"
        assert portal.router.calls[case.reference] == 1  # never sent again
        assert portal.router.creates[case.reference] == 1  # the partner acted once: staff verify it
    for case in behind:
        assert not portal.check(case), case.problems
        assert portal.router.calls[case.reference] == 1
    report.RUNS.append(
        f"worker SIGKILL ({'Redis' if on_redis else 'RabbitMQ'}): {len(in_flight)} bookings killed inside the upstream call → verify_with_partner after "
        f"redelivery, 1 create each, never resent; {len(behind)} queued behind → booked once; "
        f"{time.monotonic() - started:.0f} s"
    )
