"""A real Celery worker process for integration tests, on the test database and broker.

Tests using it need ``transactional_db`` (the worker only sees committed rows). The broker
is the test run's Redis (``CELERY_BROKER_URL`` in CI, the embedded one elsewhere); its queue
is purged when the worker starts.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


class WorkerProcess:
    def __init__(self, env: dict[str, str], log_path: Path, queue: str | None = None):
        self.env = env
        self.log_path = log_path
        self.queue = queue  # None: the default queue, which the session's worker may share
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"test-{os.getpid()}@%h",
                *(["-Q", self.queue] if self.queue else []),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if "ready." in self.log_path.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"Celery worker did not start:\n{self.log_path.read_text(errors='replace')[-4000:]}")

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def worker_env(**overrides: str) -> dict[str, str]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        # The test database; ``host`` may be a unix-socket folder (the embedded server).
        "DATABASE_URL": f"postgres://{db['USER']}@/{db['NAME']}?{urlencode({'host': db['HOST'], 'port': db['PORT'] or 5432})}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "PARTNER_READ_TIMEOUT": "2",
        "PARTNER_CONNECT_TIMEOUT": "1",
        "PARTNER_RETRY_BACKOFF_SECONDS": "0",
        "PARTNER_MAX_RETRIES": "2",
        "CONN_MAX_AGE": "0",
    }
    env.update(overrides)
    return env


def purge_broker() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        # Declared first: on RabbitMQ, purging a queue that does not exist yet is an error.
        queue = app.amqp.queues[app.conf.task_default_queue](conn.default_channel)
        queue.declare()
        queue.purge()


class SmtpSink:
    """Every email the worker sends, received by a real SMTP server on loopback (aiosmtpd)."""

    def __init__(self, port: int):
        self.port = port
        self.received: list = []

    def handle_message(self, message):
        self.received.append(message)

    def to(self, address: str) -> list:
        return [message for message in self.received if message["To"] == address]


@pytest.fixture(scope="session")
def smtp_sink():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message as MessageHandler

    class Handler(MessageHandler):
        def handle_message(self, message):
            sink.handle_message(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink(port)
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory, smtp_sink):
    with django_db_blocker.unblock():
        env = worker_env(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_sink.port),
        )
    purge_broker()
    worker = WorkerProcess(env, tmp_path_factory.mktemp("worker") / "worker.log")
    worker.start()
    yield worker
    worker.stop()


def wait_for(predicate, timeout: float = 30, interval: float = 0.2):
    """Poll ``predicate`` until it returns a truthy value; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")
