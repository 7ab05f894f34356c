"""Processes and sockets the reliability tests run against, all on 127.0.0.1.

- ``RedisServer``: a private ``redis-server`` with no persistence, so a restart loses every
  queued message (the machine's shared Redis is never restarted);
- ``RabbitVhost``: a private virtual host on the machine's RabbitMQ;
- ``Worker``: a real Celery worker that can be killed and started again, with its own
  concurrency and a readiness check that looks only at its latest start;
- ``publishing_to``: the test process publishes its tasks to another broker for a while;
- ``unreachable_port`` / ``closed_port``: a loopback port that never completes a TCP
  handshake (connect timeout) and one where nothing listens (connection refused).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from config import embedded
from tests.worker_fixtures import ROOT, WorkerProcess

REDIS_SERVER = embedded.redis_server()  # the one from pip, on every machine
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


class RedisServer:
    """``redis-server --save "" --appendonly no`` on a free loopback port."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self) -> "RedisServer":
        log = (self.workdir / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self, sig=signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=10)

    def restart(self) -> None:
        """Kill and start again on the same port: with no persistence, every key is gone."""
        self.stop()
        self.start()

    def llen(self, key: str) -> int:
        import redis

        with contextlib.closing(redis.Redis(host=LOOPBACK, port=self.port)) as client:
            return client.llen(key)


class RabbitVhost:
    """A virtual host of this test alone on the machine's RabbitMQ (guest/guest on 5672):
    its own queues, so no other worker of the test run takes its tasks."""

    def __init__(self):
        self.name = f"portal-test-{os.getpid()}-{free_port()}"

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@{LOOPBACK}:5672/{self.name}"

    @staticmethod
    def available() -> bool:
        import shutil

        with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, 5672), timeout=1):
            return shutil.which("rabbitmqctl") is not None
        return False

    def _ctl(self, *args: str) -> None:
        subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)

    def start(self) -> "RabbitVhost":
        self._ctl("add_vhost", self.name)
        self._ctl("set_permissions", "-p", self.name, "guest", ".*", ".*", ".*")
        return self

    def stop(self) -> None:
        self._ctl("delete_vhost", self.name)

    def llen(self, queue: str) -> int:
        """Messages ready in ``queue`` (not those a worker holds unacknowledged)."""
        from kombu import Connection

        with Connection(self.url) as conn:
            return conn.default_channel.queue_declare(queue, passive=True).message_count


class Worker(WorkerProcess):
    """A Celery worker that can be restarted; ``start()`` waits for this start's "ready."."""

    def __init__(self, env: dict[str, str], log_path: Path, *, concurrency: int = 2, name: str = "reliability"):
        super().__init__(env, log_path)
        self.concurrency = concurrency
        self.name = name

    def start(self) -> None:
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
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
                f"--concurrency={self.concurrency}",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"{self.name}-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if "ready." in self.log_since(offset):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"Celery worker did not start:\n{self.log()[-4000:]}")

    def log_since(self, offset: int) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")


@contextlib.contextmanager
def publishing_to(broker_url: str):
    """Tasks sent from this process (``delay``, ``on_commit`` enqueues) go to ``broker_url``."""
    from config.celery import app

    keys = ("broker_url", "broker_write_url", "broker_read_url")

    def use(urls):
        for key, url in zip(keys, urls, strict=True):
            app.conf[key] = url
        app._pool = None  # connection pools are per URL (kombu's registry): the old one stays open
        app.amqp._producer_pool = None

    saved = [app.conf[key] for key in keys]
    use([broker_url] * len(keys))
    try:
        yield
    finally:
        use(saved)


@contextlib.contextmanager
def unreachable_port():
    """A loopback port whose accept queue is full: a new connection's SYN is dropped, so the
    client's connect times out. Nothing leaves the machine."""
    server = socket.socket()
    server.bind((LOOPBACK, 0))
    server.listen(0)  # Linux keeps backlog + 1 = 1 connection waiting
    port = server.getsockname()[1]
    fillers = []
    try:
        while True:  # fill the queue until a connect no longer completes
            filler = socket.socket()
            filler.settimeout(0.3)
            fillers.append(filler)
            try:
                filler.connect((LOOPBACK, port))
            except TimeoutError:
                break
            if len(fillers) > 8:
                raise RuntimeError("could not fill the accept queue of a loopback socket")
        yield port
    finally:
        for sock in [*fillers, server]:
            sock.close()


def closed_port() -> int:
    """A loopback port where nothing listens: a connect is refused at once."""
    return free_port()
