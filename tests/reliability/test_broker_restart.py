"""Redis restarts while booking tasks are queued (a private redis-server with no persistence).

The restart loses every queued message, and the one the worker was running. The loss is
detected from the database: the sweeper re-enqueues bookings stuck in ``queued`` and flags a
send that never reported back as ``verify_with_partner``. Every booking ends in a defined
state with at most one upstream create.
"""

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone

from bookings import tasks
from bookings.models import Booking
from bookings.services.sweeper import sweep_stuck_bookings
from bookings.states import Status
from partners.models import Partner
from tests.reliability import report
from tests.reliability.faults import ROWS_BY_LABEL, Plan
from tests.reliability.infra import Worker, publishing_to
from tests.worker_fixtures import wait_for, worker_env

pytestmark = pytest.mark.worker
HOLD_S = 3  # the in-flight booking keeps the single worker process busy this long
CONTROL = ROWS_BY_LABEL["no fault (control)"]
PARTNERS = (Partner.Code.SANAR_VIDEO, Partner.Code.SANAR_VACCINATION, Partner.Code.SANDICARE)


def later():
    """A sweep as if run once every threshold has passed."""
    wait = max(settings.QUEUED_STUCK_AFTER_SECONDS, settings.SUBMITTING_STUCK_AFTER_SECONDS)
    return timezone.now() + datetime.timedelta(seconds=wait + 1)


def test_redis_restart_with_tasks_queued_loses_nothing_for_good(private_redis, portal, tmp_path):
    env = worker_env(CELERY_BROKER_URL=private_redis.url, PARTNER_READ_TIMEOUT="30")
    worker = Worker(env, tmp_path / "worker.log", concurrency=1, name="restart")
    worker.start()
    started = time.monotonic()
    try:
        with publishing_to(private_redis.url):
            busy = portal.draft(Partner.Code.SANAR_VIDEO, CONTROL)
            portal.router.plan(busy.reference, Plan(hold_s=HOLD_S))  # the partner acts after HOLD_S
            portal.submit(busy)
            wait_for(lambda: portal.router.calls[busy.reference], timeout=15)
            queued = [portal.draft(code, CONTROL) for code in PARTNERS for _ in range(2)]
            for case in queued:
                portal.submit(case)
            wait_for(lambda: private_redis.llen("celery") == len(queued), timeout=10)

            private_redis.restart()
            assert private_redis.llen("celery") == 0  # the queue is gone
            wait_for(lambda: worker.log().count("Connected to redis") == 2, timeout=30)  # the worker is back
            wait_for(lambda: portal.router.creates[busy.reference], timeout=HOLD_S + 5)
            time.sleep(2)  # time enough for a surviving queued task to be picked up (there is none)
            lost = [case for case in queued if Booking.objects.get(pk=case.booking.pk).status == Status.QUEUED]
            assert len(lost) == len(queued), "a queued task survived a restart without persistence?"

            swept = sweep_stuck_bookings(now=later(), requeue=tasks.send_booking.delay)
            assert not portal.settle([busy, *queued], timeout=60), worker.log()[-3000:]
    finally:
        worker.stop()

    assert swept["requeued"] == len(queued)  # the loss is detected from the database
    for case in queued:
        assert not portal.check(case), case.problems
        assert portal.router.calls[case.reference] == 1
    # The in-flight send was cut off by the lost connection (flagged for a person), or finished.
    assert busy.booking.status in (Status.VERIFY_WITH_PARTNER, Status.AWAITING_PAYMENT)
    assert portal.router.calls[busy.reference] == 1 and portal.router.creates[busy.reference] == 1
    report.RUNS.append(
        f"Redis restart: {len(queued)} queued tasks lost with the restart, detected by the sweeper "
        f"(requeued {swept['requeued']}, flagged {swept['flagged']}) and booked once each; the in-flight send "
        f"ended {busy.booking.status}; {time.monotonic() - started:.0f} s"
    )
