"""``make bench``: every benchmark in one run, then one table of measured values beside their goals.

Sets up its own world and tears it down: a fresh PostgreSQL database (``portal_bench``),
Redis db 7, the partner simulator with a fixed latency, a Celery worker (P2) and gunicorn
(P6), all on 127.0.0.1. Benchmarks measure; this script exits 0 whether goals hold or not,
and non-zero only when it could not measure. Settings: ``BENCH_*`` variables, bench/README.md.
"""

import datetime
import os
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("BENCH_LOG_FILE", str(ROOT / "var" / "bench" / "bench.log"))

import bench.settings  # noqa: E402,F401  (fills in the bench environment before Django reads it)
from bench import procs  # noqa: E402
from bench.report import Result, markdown, text_table  # noqa: E402

ALL = ("P1", "P2", "P2B", "P3", "P4", "P5", "P6", "P7", "P8")
GENERATE_GOAL_S = 600  # a million bookings


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


CONFIG = {
    "only": [item.strip().upper() for item in os.environ.get("BENCH_ONLY", ",".join(ALL)).split(",") if item.strip()],
    "latency_ms": env_int("BENCH_LATENCY_MS", 50),
    "p1_samples": env_int("BENCH_P1_SAMPLES", 60),
    "p2_bookings": env_int("BENCH_P2_BOOKINGS", 1000),
    "amqp_url": os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//"),
    "p2b_workers": env_int("BENCH_P2B_WORKERS", 2),
    "worker_pool": os.environ.get("BENCH_WORKER_POOL", "threads"),
    "worker_concurrency": env_int("BENCH_WORKER_CONCURRENCY", 8),
    "submitters": env_int("BENCH_P2_SUBMITTERS", 4),
    "sizes": [int(size) for size in os.environ.get("BENCH_SIZES", "1000,1000000").split(",")],
    "list_samples": env_int("BENCH_LIST_SAMPLES", 80),
    "p6_users": env_int("BENCH_P6_USERS", 150),
    "p6_seconds": float(os.environ.get("BENCH_P6_SECONDS", 60)),
    "p6_think": tuple(float(x) for x in os.environ.get("BENCH_P6_THINK", "1,3").split(",")),
    "p6_stress_seconds": float(os.environ.get("BENCH_P6_STRESS_SECONDS", 30)),
    "p6_stress_think": tuple(float(x) for x in os.environ.get("BENCH_P6_STRESS_THINK", "0.5,1.5").split(",")),
    "gunicorn_workers": env_int("BENCH_GUNICORN_WORKERS", 2),
    "gunicorn_threads": env_int("BENCH_GUNICORN_THREADS", 8),
    "p7_latency_ms": env_int("BENCH_P7_LATENCY_MS", 200),
    "p7_bookings": env_int("BENCH_P7_BOOKINGS", 3),
    "p8_samples": env_int("BENCH_P8_SAMPLES", 60),
    "timeout_s": env_int("BENCH_TIMEOUT", 3600),
}


STARTED = time.monotonic()


def say(message: str) -> None:
    elapsed = int(time.monotonic() - STARTED)
    print(f"[bench +{elapsed // 60}:{elapsed % 60:02d}] {message}", flush=True)


def recreate_database() -> None:
    import environ
    import psycopg

    config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    name = config["NAME"]
    if "bench" not in name:
        raise SystemExit(f"refusing to drop database {name!r}: the bench database's name must contain 'bench'")
    params = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, password=config.get("PASSWORD") or None, **params) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def flush_broker() -> None:
    import redis

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()


def prepare() -> None:
    from django.core.management import call_command

    if os.environ.get("BENCH_REUSE_DATABASE") != "1":
        recreate_database()
    flush_broker()
    import django

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)


def empty_bookings() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bookings_bookingevent, partners_upstreamcall, bookings_booking CASCADE")


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE bookings_booking, bookings_bookingevent, partners_upstreamcall")


GENERATED = {"bookings": 0, "seconds": 0.0}


def grow_to(size: int, seed: int) -> None:
    from django.core.management import call_command

    from bookings.models import Booking

    missing = size - Booking.objects.count()
    if missing > 0:
        say(f"generating {missing:,} bookings (to {size:,})")
        started = time.monotonic()
        call_command("generate_bookings", count=missing, seed=seed, stdout=sys.stdout)
        GENERATED["bookings"] += missing
        GENERATED["seconds"] += time.monotonic() - started
        say(f"generate_bookings: {missing:,} bookings in {time.monotonic() - started:.0f} s")
        vacuum()  # as autovacuum would after a bulk load; measuring during it would measure it


def generation_result() -> Result | None:
    from bench.report import size_label

    count, seconds = GENERATED["bookings"], GENERATED["seconds"]
    if count < 100_000:
        return None
    per_million = seconds * 1_000_000 / count
    return Result(
        id="data",
        measure=f"generate_bookings (COPY): {count:,} bookings with their events and partner calls",
        value=f"{seconds / 60:.1f} min ({count / seconds:,.0f} bookings/s)",
        goal=f"{size_label(1_000_000)} in ≤ {GENERATE_GOAL_S // 60} min",
        holds=per_million <= GENERATE_GOAL_S,
        details=[f"{count:,} bookings written in {seconds:.0f} s, i.e. {per_million / 60:.1f} min per million."],
    )


class Measured:
    """Runs each benchmark; one that raises is reported as not measured and the others still run."""

    def __init__(self, results: list[Result]):
        self.results = results
        self.failed = False

    def run(self, ids: tuple[str, ...], what: str, measure) -> None:
        wanted = [id_ for id_ in ids if id_.upper() in CONFIG["only"]]
        if not wanted:
            return
        say(f"{'/'.join(wanted)}: {what}")
        try:
            produced = measure()
        except (TimeoutError, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - reported in the table, the run goes on
            traceback.print_exc()
            self.failed = True
            reason = f"not measured: {type(exc).__name__}: {str(exc)[:120]}"
            self.results += [Result(id_, what, reason, "", None) for id_ in wanted]
            return
        produced = produced if isinstance(produced, list) else [produced]
        self.results += [result for result in produced if result.id in wanted]
        for result in produced:
            if result.id in wanted:
                say(f"{result.id}: {result.value} ({result.verdict})")


def benchmarks(measured: Measured) -> None:
    from django.core.management import call_command

    from bench import browser, export, languages, lists, load, submissions, upstream
    from partner_simulator.remote import RemoteSimulator

    cfg = CONFIG
    only = set(cfg["only"])
    port = procs.free_port()
    simulator_url = f"http://127.0.0.1:{port}"
    simulator = procs.simulator(port, cfg["latency_ms"])
    call_command("seed_demo", simulator_url=simulator_url, stdout=open(os.devnull, "w"))  # noqa: SIM115
    measured.run(
        ("P1",),
        f"upstream step via portal client ÷ plain requests (simulator {cfg['latency_ms']} ms)",
        lambda: upstream.run(samples=cfg["p1_samples"], latency_ms=cfg["latency_ms"]),
    )
    p2_rate: dict[str, float] = {}

    def bookings_through_celery(label: str, broker_url: str, workers: int) -> Result:
        database = os.environ["DATABASE_URL"].rsplit("/", 1)[-1]
        result, rate = submissions.run(
            label=label,
            count=cfg["p2_bookings"],
            pool=cfg["worker_pool"],
            concurrency=cfg["worker_concurrency"],
            workers=workers,
            submitters=cfg["submitters"],
            latency_ms=cfg["latency_ms"],
            simulator_url=simulator_url,
            simulator_pid=simulator.pid,
            broker_url=broker_url,
            queue="celery" if broker_url.startswith("redis") else f"portal-{database}",
            rate_to_beat=p2_rate.get("P2"),
        )
        p2_rate[label] = rate
        empty_bookings()
        return result

    measured.run(
        ("P2",),
        f"{cfg['p2_bookings']} video bookings through Celery on Redis",
        lambda: bookings_through_celery("P2", os.environ["CELERY_BROKER_URL"], 1),
    )
    measured.run(
        ("P2b",),
        f"{cfg['p2_bookings']} video bookings through Celery on RabbitMQ, {cfg['p2b_workers']} workers",
        lambda: bookings_through_celery("P2b", cfg["amqp_url"], cfg["p2b_workers"]),
    )
    if {"P2", "P2B"} & only:
        empty_bookings()
    if not {"P3", "P4", "P5", "P6", "P7", "P8"} & only:
        return

    def language_pages() -> Result:
        grow_to(cfg["sizes"][0], 1)
        return languages.run(samples=cfg["p8_samples"], size=cfg["sizes"][0])

    measured.run(("P8",), "the bookings list in Arabic and in English", language_pages)

    def lists_at_every_size() -> list[Result]:
        sizes = []
        for seed, size in enumerate(cfg["sizes"], start=1):
            grow_to(size, seed)
            if {"P3", "P4"} & only:
                say(f"lists at {size:,} bookings")
                sizes.append(lists.measure(size, samples=cfg["list_samples"]))
        return lists.results(sizes, samples=cfg["list_samples"])

    measured.run(("P3", "P4"), "finance list and admin changelist", lists_at_every_size)
    if {"P5", "P6"} & only:
        grow_to(cfg["sizes"][-1], len(cfg["sizes"]))  # P3/P4 skipped or stopped early: P5/P6 still get the data
    measured.run(("P5",), "CSV export", export.run)

    def sessions() -> Result:
        web_port = procs.free_port()
        server = f"{cfg['gunicorn_workers']} gthread workers × {cfg['gunicorn_threads']} threads"
        web = procs.gunicorn(web_port, cfg["gunicorn_workers"], cfg["gunicorn_threads"])
        try:
            return load.run(
                base=f"http://127.0.0.1:{web_port}",
                users=cfg["p6_users"],
                seconds=cfg["p6_seconds"],
                think=cfg["p6_think"],
                stress_seconds=cfg["p6_stress_seconds"],
                stress_think=cfg["p6_stress_think"],
                server=server,
                server_pid=web.pid,
                access_log=procs.ACCESS_LOG,
            )
        finally:
            web.stop()

    measured.run(("P6",), f"{cfg['p6_users']} staff sessions against gunicorn", sessions)

    def browser_booking() -> Result:
        web_port = procs.free_port()
        web = procs.gunicorn(web_port, cfg["gunicorn_workers"], cfg["gunicorn_threads"])
        worker = procs.celery_worker(cfg["worker_pool"], cfg["worker_concurrency"])
        RemoteSimulator(simulator_url).set_latency(cfg["p7_latency_ms"])
        try:
            return browser.run(
                base=f"http://127.0.0.1:{web_port}", latency_ms=cfg["p7_latency_ms"], samples=cfg["p7_bookings"]
            )
        finally:
            RemoteSimulator(simulator_url).set_latency(cfg["latency_ms"])
            worker.stop()
            web.stop()

    measured.run(("P7",), "a returning patient's video booking in Chromium", browser_booking)
    if generated := generation_result():
        measured.results.append(generated)


def machine() -> str:
    model = ""
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        memory_gb = int(meminfo.readline().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({model}), {memory_gb:.0f} GB, shared"


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]


README_START, README_END = "<!-- bench table -->", "<!-- /bench table -->"


def write_readme(results: list[Result], started: str, command: str) -> None:
    """The README's performance table, between its two markers."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    if README_START not in text or README_END not in text:
        return
    lines = [
        README_START,
        f"Latest run: `{command}` on {started}, {machine()} "
        "(details and what each change bought in [docs/performance.md](docs/performance.md)):",
        "",
        "| id | measure | value | goal | holds |",
        "|---|---|---|---|---|",
        *[f"| {r.id} | {r.measure} | {r.value} | {r.goal} | {r.verdict} |" for r in results],
        README_END,
    ]
    head, rest = text.split(README_START, 1)
    readme.write_text(head + "\n".join(lines) + rest.split(README_END, 1)[1])


def _on_alarm(signum, frame):
    raise TimeoutError(f"the bench ran longer than BENCH_TIMEOUT={CONFIG['timeout_s']} s")


def main() -> int:
    started, started_at = time.monotonic(), datetime.datetime.now().astimezone()
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.alarm(CONFIG["timeout_s"])
    results: list[Result] = []
    measured = Measured(results)
    try:
        say(f"preparing {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}, Redis {os.environ['CELERY_BROKER_URL']}")
        prepare()
        benchmarks(measured)
    except (Exception, KeyboardInterrupt):
        measured.failed = True
        traceback.print_exc()
    finally:
        signal.alarm(0)
        procs.stop_all()
    duration = time.monotonic() - started
    print()
    print(text_table(results))
    for result in results:
        print(f"\n{result.id}: " + "\n    ".join(result.details))
    print(f"\nmake bench took {duration / 60:.1f} min")
    failed = measured.failed
    if results and not failed and (set(CONFIG["only"]) >= set(ALL) or os.environ.get("BENCH_WRITE_DOC") == "1"):
        overrides = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("BENCH_") and k not in (
            "BENCH_LOG_FILE", "BENCH_WRITE_DOC"))  # fmt: skip
        command = f"{overrides} make bench".strip()
        database = os.environ["DATABASE_URL"].rsplit("/", 1)[-1]
        setup = [
            f"Machine: {machine()}; PostgreSQL {postgres_version()} database `{database}`, "
            f"Redis `{os.environ['CELERY_BROKER_URL']}`, partner simulator with {CONFIG['latency_ms']} ms latency "
            f"({CONFIG['p7_latency_ms']} ms for P7), `DEBUG=false`.",
            "Every ratio compares numbers measured in the same run, alternating the two sides.",
        ]
        findings = (ROOT / "bench" / "findings.md").read_text()
        started_text = f"{started_at:%Y-%m-%d %H:%M %Z}"
        doc = markdown(results, command=command, started=started_text, duration_s=duration,
                       setup=setup, appendix=findings)  # fmt: skip
        (ROOT / "docs" / "performance.md").write_text(doc + "\n")
        write_readme(results, started_text, command)
        print("written to docs/performance.md and README.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
