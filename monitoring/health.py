"""What ``/readyz`` checks: the database, the broker, migrations; and what it only reports.

Each check answers in a bounded time and returns ``(ok, detail)``; ``detail`` never holds an
exception's message (a driver's message can name hosts, users or URLs), only its class.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

BROKER_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str
    elapsed_ms: float

    def as_dict(self) -> dict:
        return {"ok": self.ok, "detail": self.detail, "ms": round(self.elapsed_ms, 1)}


def _timed(check) -> CheckResult:
    started = time.perf_counter()
    try:
        ok, detail = check()
    except Exception as exc:  # noqa: BLE001 - a failing dependency is the answer, not an error
        ok, detail = False, f"error: {type(exc).__name__}"
    return CheckResult(ok, detail, (time.perf_counter() - started) * 1000)


def _database() -> tuple[bool, str]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, "answers"


# Migrations are never unapplied under a running process: once all are applied, stop re-reading
# the migration files on every probe (loading the graph costs tens of milliseconds).
_migrations_seen_applied = False


def _migrations() -> tuple[bool, str]:
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return True, "all applied"
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return False, f"{len(pending)} not applied"
    _migrations_seen_applied = True
    return True, "all applied"


def _broker() -> tuple[bool, str]:
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        transport = connection.transport_cls
    return True, f"answers ({transport})"


READINESS_CHECKS = {"database": _database, "migrations": _migrations, "broker": _broker}


def readiness() -> dict[str, CheckResult]:
    return {name: _timed(check) for name, check in READINESS_CHECKS.items()}


def partner_credentials() -> dict[str, str]:
    """Per partner: ``ok``, ``failing`` or ``missing`` (no active credential in this environment).

    Shown, not judged: a partner's outage or an expired key must not take the portal out of
    the load balancer, where staff still see bookings and finance still exports.
    """
    from partners.models import Credential, Partner

    failing_by_partner = dict(
        Credential.objects.filter(environment=settings.PARTNER_ENVIRONMENT, is_active=True).values_list(
            "partner__code", "is_failing"
        )
    )
    states = {}
    for code in Partner.objects.filter(is_active=True).order_by("code").values_list("code", flat=True):
        if code not in failing_by_partner:
            states[code] = "missing"
        else:
            states[code] = "failing" if failing_by_partner[code] else "ok"
    return states
