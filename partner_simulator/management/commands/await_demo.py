"""For ``make run``: wait until everything answers, then print the demo logins in a box, last."""

import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand

from partner_simulator.management.commands.seed_demo import DEMO_LOGINS, SECOND_FACTOR_HINT


def _http_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - a local URL we were given
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except OSError:
        return False


def _worker_answers() -> bool:
    from config.celery import app

    try:
        return bool(app.control.ping(timeout=1.0))
    except OSError:
        return False


def box(lines: list[str]) -> str:
    width = max(len(line) for line in lines)
    return "\n".join(
        ["┌" + "─" * (width + 2) + "┐", *(f"│ {line:<{width}} │" for line in lines), "└" + "─" * (width + 2) + "┘"]
    )


class Command(BaseCommand):
    help = "Wait until the web server, the partner simulator and a Celery worker answer; print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--web", required=True, help="The portal's base URL, e.g. http://127.0.0.1:8000")
        parser.add_argument("--timeout", type=float, default=120)

    def handle(self, *args, web, timeout, **options):
        web = web.rstrip("/")
        checks = {
            "web server (/readyz)": lambda: _http_answers(f"{web}/readyz"),
            "partner simulator": lambda: _http_answers(settings.PARTNER_SIMULATOR_URL.rstrip("/") + "/_sim/health"),
            "Celery worker": _worker_answers,
        }
        waiting = dict(checks)
        deadline = time.monotonic() + timeout
        while waiting and time.monotonic() < deadline:
            waiting = {name: check for name, check in waiting.items() if not check()}
            if waiting:
                time.sleep(0.5)
        lines = [f"Partner booking portal: {web}", ""]
        lines += [f"{role:<15} {username:<13} {password}" for username, password, role in DEMO_LOGINS]
        lines += [SECOND_FACTOR_HINT, "", "Ctrl-C stops everything."]
        if waiting:
            lines += [f"Not answering after {timeout:.0f} s: {', '.join(waiting)} (see the lines above)."]
        self.stdout.write("\n" + box(lines) + "\n")
