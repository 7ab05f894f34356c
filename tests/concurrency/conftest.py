"""The concurrency suite: the same staff intent posted by several clients at once.

``race`` posts with N test clients at the same moment (a barrier), each in its own thread
with its own database connection, all on one logged-in session (a double click, two tabs,
a reloaded POST). ``Tally`` adds up what each path did and prints the table at the end.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
from django.db import connection, connections
from django.test import Client

_TALLIES: list["Tally"] = []


def race(session_client: Client, posts) -> list[int]:
    """Run each of ``posts`` (callables taking a Client) in its own thread at the same moment;
    their status codes, 500 for an exception."""
    barrier = threading.Barrier(len(posts))

    def run(post) -> int:
        client = Client(raise_request_exception=False)
        client.cookies.load({name: morsel.value for name, morsel in session_client.cookies.items()})
        try:
            barrier.wait(timeout=30)
            return post(client).status_code
        except Exception:  # noqa: BLE001 - a crash counts as the server error it would be
            return 500
        finally:
            connections.close_all()

    with ThreadPoolExecutor(len(posts)) as pool:
        return list(pool.map(run, posts))


def deadlocks_so_far() -> int:
    """Deadlocks PostgreSQL detected in the test database (web, worker and test alike)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


@dataclass
class Tally:
    path: str
    trials: int = 0
    posts: int = 0
    intents: int = 0
    bookings: int = 0
    sent: int = 0
    creates: int = 0
    server_errors: int = 0
    conflicts: int = 0
    deadlocks: int = 0
    problems: list[str] = field(default_factory=list)

    def row(self) -> str:
        return (
            f"| {self.path:<30} | {self.trials:>6} | {self.posts:>5} | {self.intents:>7} | {self.bookings:>8} "
            f"| {self.sent:>4} | {self.creates:>16} | {self.deadlocks:>9} | {self.conflicts:>9} | {self.server_errors:>4} |"
        )


@pytest.fixture
def tally(request):
    made = []

    def make(path: str) -> Tally:
        made.append(Tally(path))
        _TALLIES.append(made[-1])
        return made[-1]

    return make


def pytest_terminal_summary(terminalreporter):
    if not _TALLIES:
        return
    terminalreporter.section("concurrency: one booking and one upstream create per intent")
    terminalreporter.write_line(
        "| path                           | trials | posts | intents | bookings | sent | upstream creates | deadlocks | 409 pages |  500 |"
    )
    terminalreporter.write_line("|" + "|".join("-" * n for n in (32, 8, 7, 9, 10, 6, 18, 11, 11, 6)) + "|")
    for tally in _TALLIES:
        terminalreporter.write_line(tally.row())
