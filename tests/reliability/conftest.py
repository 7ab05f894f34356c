"""Fixtures of the reliability suite, and the tables printed at the end of the run.

Worker tests run on the test run's PostgreSQL and Redis, like the other worker tests; the
crash and broker-restart tests also start a private ``redis-server``.
"""

import pytest

from tests.reliability import report
from tests.reliability.infra import RabbitVhost, RedisServer
from tests.reliability.portal import Portal

READ_TIMEOUT_SLEEP_S = 3  # longer than the worker's read timeout (worker_env: 2 s)


@pytest.fixture
def staff_user(transactional_db, django_user_model):
    return django_user_model.objects.create_user(username="ops-reliability", password="x")


@pytest.fixture
def portal(transactional_db, partner_simulator, staff_user):
    """The three partners on the simulator, with per-booking faults (``portal.router``)."""
    partner_simulator.set_read_timeout_sleep(READ_TIMEOUT_SLEEP_S)
    return Portal(partner_simulator, staff_user)


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test alone."""
    server = RedisServer(tmp_path).start()
    try:
        yield server
    finally:
        server.stop()


def pytest_terminal_summary(terminalreporter):
    lines = report.matrix_lines()
    if lines:
        terminalreporter.section("reliability: fault matrix (end state, attempts stored, upstream creates)")
        for line in lines:
            terminalreporter.write_line(line)
    if report.RUNS:
        terminalreporter.section("reliability: runs")
        for line in report.RUNS:
            terminalreporter.write_line(line)


@pytest.fixture(params=["redis", "rabbitmq"])
def private_broker(request, tmp_path):
    """A broker of this test alone: a redis-server, or a RabbitMQ virtual host (skipped when
    RabbitMQ or rabbitmqctl is not there; CI starts it)."""
    if request.param == "redis":
        broker = RedisServer(tmp_path).start()
    elif RabbitVhost.available():
        broker = RabbitVhost().start()
    else:
        pytest.skip("RabbitMQ is not answering on 127.0.0.1:5672 (or rabbitmqctl is missing)")
    try:
        yield broker
    finally:
        broker.stop()
