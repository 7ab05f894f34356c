"""P5: the CSV export of every booking: rows/s ÷ PostgreSQL's own ``COPY … TO STDOUT WITH CSV`` of
the same query, and how much the process's peak RSS grows.

The export runs in a process of its own (``python -m bench.export``), through the real URL
stack (test ``Client``, logged in as finance), consuming the streamed response as a
download would. The same query (the export's own queryset and cells) is copied out by
PostgreSQL before and after the export, read to the end in the same process; the export's
rate is compared with the mean of the two. After a small warm-up export, the kernel's
peak-RSS counter is reset (``/proc/self/clear_refs``); growth is the peak during the export
minus the RSS before it.
"""

import json
import subprocess
import sys
import time

from bench import procs
from bench.report import Result

COPY_RATIO_GOAL = 0.5
RSS_GOAL_MB = 50


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def copy_out() -> dict:
    """``COPY (the export's query) TO STDOUT WITH CSV``, read to the end: rows and seconds."""
    import psycopg
    from django.db import connection
    from django.utils import timezone

    from bookings import selectors
    from bookings.export import COLUMNS
    from bookings.filters import BookingFilter

    zone = timezone.get_current_timezone_name()
    cells = tuple(cell(field, zone) if cell else field for _, field, cell in COLUMNS)
    queryset = BookingFilter({}, queryset=selectors.bookings_for_finance()).qs
    sql, params = queryset.values_list(*cells).query.sql_with_params()
    connection.ensure_connection()
    raw = connection.connection
    query = psycopg.ClientCursor(raw).mogrify(sql, params)
    lines = size = 0
    started = time.perf_counter()
    with raw.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT WITH CSV") as copy:
        for block in copy:
            lines += bytes(block).count(b"\n")
            size += len(block)
    return {"rows": lines, "bytes": size, "seconds": time.perf_counter() - started}


def probe() -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from partner_simulator.demo_second_factor import give_second_factor

    client = Client(HTTP_HOST="127.0.0.1")
    user = get_user_model().objects.get(username="finance")
    client.force_login(user)
    give_second_factor(client, user)  # finance and admin sign in with a code too
    url = reverse("bookings:export")
    warm_up = client.get(url, {"created_from": timezone.localdate().isoformat()})
    b"".join(warm_up.streaming_content)
    copies = [copy_out()]
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # reset VmHWM to the current RSS
    rss_before = _status_kb("VmRSS")
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(url)
    lines = size = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_kb = _status_kb("VmHWM")
    copies.append(copy_out())
    return {
        "copies": copies,
        "status": response.status_code,
        "rows": lines - 1,
        "bytes": size,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "rss_before_kb": rss_before,
        "peak_kb": peak_kb,
    }


def run() -> Result:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.export"],
        cwd=procs.ROOT,
        env=procs.child_env("export"),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    measured = json.loads(completed.stdout.strip().splitlines()[-1])
    rows_per_s = measured["rows"] / measured["seconds"]
    copies = measured["copies"]
    copy_rows_per_s = sum(c["rows"] / c["seconds"] for c in copies) / len(copies)
    ratio = rows_per_s / copy_rows_per_s
    growth_mb = (measured["peak_kb"] - measured["rss_before_kb"]) / 1024
    same_rows = all(c["rows"] == measured["rows"] for c in copies)
    return Result(
        id="P5",
        measure=f"CSV export of {measured['rows']:,} bookings: rows/s ÷ PostgreSQL's COPY of the same query; "
        "peak RSS growth",
        value=f"{ratio:.2f} ({rows_per_s:,.0f} vs {copy_rows_per_s:,.0f} rows/s), +{growth_mb:.1f} MB peak RSS",
        goal=f"≥ {COPY_RATIO_GOAL}; ≤ {RSS_GOAL_MB} MB",
        holds=measured["status"] == 200 and same_rows and ratio >= COPY_RATIO_GOAL and growth_mb <= RSS_GOAL_MB,
        details=[
            "`COPY (the export's query) TO STDOUT WITH CSV` read in the same process before and after: "
            + ", ".join(
                f"{c['rows']:,} rows, {c['bytes'] / 1e6:.1f} MB in {c['seconds']:.2f} s ({c['rows'] / c['seconds']:,.0f} rows/s)"
                for c in copies
            )
            + ".",
            f"GET /bookings/export.csv (no filter) as finance in its own process: {measured['rows']:,} rows, "
            f"{measured['bytes'] / 1e6:.1f} MB of CSV in {measured['seconds']:.2f} s "
            f"({measured['cpu_seconds']:.2f} s of CPU in the exporting process).",
            f"RSS before {measured['rss_before_kb'] / 1024:.1f} MB, peak during the export "
            f"{measured['peak_kb'] / 1024:.1f} MB.",
        ],
    )


if __name__ == "__main__":
    print(json.dumps(probe()))
