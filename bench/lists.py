"""P3 and P4: the finance bookings list and the Django admin changelist, same filter, same run.

P4 (the admin) has no goal any more: it is shown beside P3 for information.

Both pages are requested through Django's full URL and middleware stack in this process
(test ``Client``, logged in), alternating, so both see the same noise. The filter is one a
finance user would use: one partner, one status, bookings created in the last 60 days.
Queries per page are counted with ``CaptureQueriesContext`` on one extra request.
"""

import datetime
import re
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.report import Result, median, ms, percentile, size_label
from bookings.states import Status
from partner_simulator.demo_second_factor import give_second_factor
from partners.models import Partner

P3_GOAL = 1.5
# One match per booking row on each page.
ROW_PATTERNS = {"portal": rb'<td data-label="[^"]*"><a href="/bookings/\d+/">', "admin": rb'class="field-reference"'}


@dataclass
class PageStats:
    size: int
    p50: float
    p95: float
    queries: int
    sql: float  # seconds the queries of one request took
    rows_found: int


@dataclass
class SizeStats:
    portal: PageStats
    admin: PageStats


def _urls() -> tuple[str, str]:
    partner = Partner.objects.get(code=Partner.Code.SANAR_VIDEO)
    today = timezone.localdate()
    since = today - datetime.timedelta(days=60)
    portal = (
        f"{reverse('bookings:list')}?partner={partner.code}&status={Status.AWAITING_PAYMENT}"
        f"&created_from={since.isoformat()}&created_to={today.isoformat()}"
    )
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min))
    admin = (
        f"{reverse('admin:bookings_booking_changelist')}?partner__id__exact={partner.pk}"
        f"&status__exact={Status.AWAITING_PAYMENT}"
        f"&created_at__gte={start.isoformat().replace('+', '%2B')}&created_at__lt={end.isoformat().replace('+', '%2B')}"
    )
    return portal, admin


def _client(username: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    give_second_factor(client, user)  # finance and admin sign in with a code too
    return client


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response.content


def measure(size: int, *, samples: int) -> SizeStats:
    """p50/p95 of both pages at the current database size."""
    portal_url, admin_url = _urls()
    pages = {"portal": (_client("finance"), portal_url), "admin": (_client("admin"), admin_url)}
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(3):
        for client, url in pages.values():
            _get(client, url)
    for index in range(samples):
        order = list(pages.items()) if index % 2 == 0 else list(reversed(pages.items()))
        for name, (client, url) in order:
            started = time.perf_counter()
            _get(client, url)
            times[name].append(time.perf_counter() - started)
    stats = {}
    for name, (client, url) in pages.items():
        with CaptureQueriesContext(connection) as queries:
            body = _get(client, url)
        stats[name] = PageStats(
            size=size,
            p50=median(times[name]),
            p95=percentile(times[name], 0.95),
            queries=len(queries),
            sql=sum(float(query["time"]) for query in queries.captured_queries),
            rows_found=len(re.findall(ROW_PATTERNS[name], body)),
        )
    return SizeStats(portal=stats["portal"], admin=stats["admin"])


def results(measured: list[SizeStats], *, samples: int) -> list[Result]:
    if not measured:
        return []
    smallest, largest = measured[0], measured[-1]
    growth = largest.portal.p95 / smallest.portal.p95
    same_queries = len({m.portal.queries for m in measured}) == 1
    label = ", ".join(f"{size_label(m.portal.size)}" for m in measured)
    p3_value = " · ".join(
        f"{size_label(m.portal.size)}: {ms(m.portal.p50)}/{ms(m.portal.p95)}, {m.portal.queries} q" for m in measured
    )
    p3 = Result(
        id="P3",
        measure=f"finance list, filtered, page 1: p50/p95 and queries at {label}",
        value=f"{p3_value}; p95 ratio {growth:.2f}",
        goal=f"p95 {size_label(largest.portal.size)} ÷ {size_label(smallest.portal.size)} ≤ {P3_GOAL}; same query count",
        holds=growth <= P3_GOAL and same_queries,
        details=[
            f"`{_urls()[0]}` as the demo finance user; {samples} requests per size after 3 warm-ups.",
            *[
                f"{m.portal.size:,} bookings: p50 {ms(m.portal.p50)}, p95 {ms(m.portal.p95)}, "
                f"{m.portal.queries} SQL queries taking {ms(m.portal.sql)}, {m.portal.rows_found} rows on the page"
                for m in measured
            ],
        ],
    )
    speedup = largest.admin.p50 / largest.portal.p50
    p4 = Result(
        id="P4",
        measure="same filtered list through the Django admin changelist",
        value=f"admin p50 {ms(largest.admin.p50)} vs portal {ms(largest.portal.p50)} at "
        f"{size_label(largest.portal.size)}: portal {speedup:.1f}× faster",
        goal="none (information)",
        holds=None,
        information=True,
        details=[
            f"`{_urls()[1]}` as the demo superuser, alternating with the portal list; ratio of medians.",
            *[
                f"{m.admin.size:,} bookings: admin p50 {ms(m.admin.p50)}, p95 {ms(m.admin.p95)}, "
                f"{m.admin.queries} SQL queries taking {ms(m.admin.sql)}, {m.admin.rows_found} rows; "
                f"portal p50 {ms(m.portal.p50)} ({m.admin.p50 / m.portal.p50:.1f}×)"
                for m in measured
            ],
        ],
    )
    return [p3, p4]
