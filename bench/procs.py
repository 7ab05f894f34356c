"""The processes a benchmark starts (simulator, Celery worker, gunicorn): started in their own
process group, logged to ``var/bench/<name>.log``, and always stopped, even on Ctrl-C or a timeout."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
ACCESS_LOG = VAR / "gunicorn-access.log"
_running: list["Process"] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(name: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_LOG_FILE": str(VAR / f"{name}.log"),
        **extra,
    }


class Process:
    def __init__(self, name: str, argv: list[str], env: dict[str, str] | None = None):
        self.name, self.argv = name, argv
        self.env = env or child_env(name)
        self.out_path = VAR / f"{name}.out"
        self.popen: subprocess.Popen | None = None

    def start(self, ready: Callable[[], bool], timeout: float = 60) -> "Process":
        VAR.mkdir(parents=True, exist_ok=True)
        with self.out_path.open("wb") as out:
            self.popen = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        _running.append(self)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                break
            if ready():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not start; last output:\n{self.output()[-3000:]}")

    def output(self) -> str:
        return self.out_path.read_text(errors="replace") if self.out_path.exists() else ""

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self, timeout: float = 20) -> None:
        if self.popen is None or self.popen.poll() is not None:
            _forget(self)
            return
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)
        except ProcessLookupError:
            pass
        _forget(self)


def _forget(process: Process) -> None:
    if process in _running:
        _running.remove(process)


def stop_all() -> None:
    for process in list(reversed(_running)):
        process.stop()


def http_ok(url: str) -> Callable[[], bool]:
    def check() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (127.0.0.1 only)
                return response.status < 500
        except OSError:
            return False

    return check


def simulator(port: int, latency_ms: int) -> Process:
    argv = [sys.executable, "manage.py", "run_partner_simulator", "--port", str(port), "--latency-ms", str(latency_ms)]
    return Process("simulator", argv).start(http_ok(f"http://127.0.0.1:{port}/_sim/health"))


def celery_worker(pool: str, concurrency: int, name: str = "worker") -> Process:
    argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", f"--pool={pool}"]
    argv += [f"--concurrency={concurrency}", "--without-heartbeat", "--without-gossip", "--without-mingle"]
    argv += ["-n", f"bench-{name}-{os.getpid()}@%h", "-Q", os.environ.get("BENCH_CELERY_QUEUE", "celery")]
    process = Process(name, argv)
    # The worker prints its banner and "ready." on stdout/stderr even at WARNING level.
    return process.start(lambda: "ready." in process.output() or _celery_ping(), timeout=60)


def _celery_ping() -> bool:
    from config.celery import app

    try:
        return bool(app.control.ping(timeout=0.5))
    except Exception:  # noqa: BLE001 - not up yet
        return False


def gunicorn(port: int, workers: int, threads: int) -> Process:
    argv = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    argv += ["--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads)]
    # Keep-alive longer than the users' think time: gunicorn's default (2 s) closes idle connections
    # while a user reads, and a request sent in that instant fails (a browser would silently retry).
    argv += ["--log-level", "warning", "--timeout", "60", "--keep-alive", "10"]
    argv += ["--access-logfile", str(ACCESS_LOG), "--access-logformat", "%(s)s %(D)s"]
    return Process("gunicorn", argv).start(http_ok(f"http://127.0.0.1:{port}/accounts/login/"))
