"""P2 and P2b: N video-consultation bookings submitted through Celery to the simulator.

Measured: bookings per second, duplicates at the partner, PostgreSQL connections opened, and
the CPU one booking costs in each process, from which the machine's limit for this work is
computed (bench/README.md, "P2: the limit").

Each run happens in a process of its own (``python -m bench.submissions``), so P2 (Redis) and
P2b (RabbitMQ) each get a Celery app configured for their broker. The drafts (distinct free
slots of the simulator's doctors, tomorrow onwards) are made in bulk beforehand. The clock
starts before the first ``booking_submit`` (the service the Book button calls: lock,
``queued``, enqueue on commit), called by a few threads at once as several staff members
would, and stops when no booking is queued or submitting any more. Duplicates are counted at
the partner: creates the simulator recorded beyond one per booking, and ``/book`` requests
beyond one per booking.
"""

import datetime
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from bench import procs
from bench.report import Result

OPERATION = "sanar_video.book"
RATE_GOAL = 0.6  # of the machine's limit
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name (field 3 first); none once it exited."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return []


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children, from /proc."""
    # fields[0] is the state (field 3): utime is field 14, stime 15, cutime 16, cstime 17.
    return sum(int(value) for value in _stat_fields(pid)[11:15]) / CLOCK_TICKS


def tree_cpu_seconds(pid: int) -> float:
    """CPU of a process and its live children (gunicorn's master and its workers), from /proc."""
    # fields[1] is the parent's pid (field 4).
    children = [
        int(entry) for entry in os.listdir("/proc") if entry.isdigit() and _stat_fields(int(entry))[1:2] == [str(pid)]
    ]
    return cpu_seconds(pid) + sum(cpu_seconds(child) for child in children)


class BackendCpu:
    """CPU spent by this database's PostgreSQL backends while it runs, polled from /proc.

    A backend that was there at the start counts from its CPU then; one that starts later
    counts whole (its connection setup included); one that ends between two polls loses at
    most one poll interval. Backends listed in ``exclude`` (the bench's own) are not counted.
    """

    def __init__(self, dsn: dict, exclude: set[int], interval: float = 0.25):
        import psycopg

        self.db = psycopg.connect(autocommit=True, **dsn)
        self.exclude = exclude | {self.db.info.backend_pid}
        self.interval = interval
        self.first: dict[int, float] = {pid: cpu_seconds(pid) for pid in self._pids()}
        self.last: dict[int, float] = dict(self.first)
        self.started: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    @classmethod
    def of_this_database(cls) -> "BackendCpu":
        """Polls the backends of Django's database, this process's own connection excluded."""
        from django.db import connection

        params = connection.get_connection_params()
        dsn = {key: params[key] for key in ("host", "port", "user", "dbname") if params.get(key)}
        if params.get("password"):
            dsn["password"] = params["password"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            own_pid = cursor.fetchone()[0]
        return cls(dsn, exclude={own_pid})

    def _pids(self) -> list[int]:
        rows = self.db.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'"
        ).fetchall()
        return [pid for (pid,) in rows if pid not in self.exclude]

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        for pid in self._pids():
            if pid not in self.first:
                self.first[pid] = 0.0
                self.started.add(pid)
            self.last[pid] = max(self.last.get(pid, 0.0), cpu_seconds(pid))

    def start(self) -> "BackendCpu":
        self._thread.start()
        return self

    def stop(self) -> float:
        self.sample()
        self._stop.set()
        self._thread.join()
        self.db.close()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def free_slots(count: int) -> list[tuple[dict, datetime.date, dict]]:
    """(doctor, day, slot) the simulator offers, from tomorrow on (no slot that is already past today)."""
    from partner_simulator import data

    today = data.partner_today()
    found = []
    for offset in range(1, data.BOOKING_HORIZON_DAYS - 1):
        day = today + datetime.timedelta(days=offset)
        for doctor_id, doctor in data.DOCTORS.items():
            for slot in data.schedule(doctor_id, day, data.DOCTOR_FIRST_HOUR[doctor_id], today):
                if slot["available"]:
                    found.append((doctor, day, slot))
                    if len(found) == count:
                        return found
    raise RuntimeError(f"the simulator has only {len(found)} free video slots; asked for {count}")


def make_drafts(count: int, actor) -> list[int]:
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat, LPad

    from bookings.models import Booking
    from partners.models import Partner

    partner = Partner.objects.get(code=Partner.Code.SANAR_VIDEO)
    drafts = [
        Booking(
            partner=partner,
            created_by=actor,
            speciality_id=doctor["spec_id"],
            speciality_name=doctor["speciality"],
            doctor_id=doctor["doctor_id"],
            doctor_name=doctor["name"],
            appointment_date=day,
            appointment_time=slot["time"],
            slot_id=slot["slot_id"],
            patient_name=f"Bench Patient {index}",
            patient_gender="Female" if index % 2 else "Male",
            patient_dob=datetime.date(1980, 1, 1) + datetime.timedelta(days=index),
            mobile=f"+9665{index:08d}",
            email=f"bench.patient{index}@example.org",
        )
        for index, (doctor, day, slot) in enumerate(free_slots(count))
    ]
    ids = [booking.pk for booking in Booking.objects.bulk_create(drafts, batch_size=500)]
    reference = Concat(Value("BK-"), LPad(Cast("id", CharField()), 6, Value("0")))
    Booking.objects.filter(pk__in=ids).update(reference=reference)
    return ids


def submit_all(ids: list[int], actor, submitters: int) -> float:
    """Submit every draft from ``submitters`` threads; the CPU seconds those threads used."""
    from django.db import connection

    from bookings.services.submission import booking_submit

    def submit(share: list[int]) -> float:
        started = time.thread_time()
        try:
            for booking_id in share:
                booking_submit(booking_id=booking_id, actor=actor)
        finally:
            connection.close()  # this thread's own connection
        return time.thread_time() - started

    with ThreadPoolExecutor(submitters) as executor:
        return sum(executor.map(submit, [ids[index::submitters] for index in range(submitters)]))


def postgres_sessions(cursor) -> int:
    """Connections opened to this database so far (PostgreSQL's statistics, flushed about once a second)."""
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
    return cursor.fetchone()[0]


def probe(args: dict) -> dict:
    """In the child process: drafts, workers, submissions, and the raw numbers."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bookings.models import Booking
    from bookings.states import Status
    from config.celery import app

    actor = get_user_model().objects.get(username="operations")
    count, workers, submitters = args["count"], args["workers"], args["submitters"]
    ids = make_drafts(count, actor)
    app.control.purge()  # nothing left on this queue from an earlier, interrupted run
    backends = BackendCpu.of_this_database()
    with connection.cursor() as cursor:
        sessions_before = postgres_sessions(cursor)
    started_workers = [
        procs.celery_worker(args["pool"], args["concurrency"], name=f"worker-{args['label']}-{index}")
        for index in range(workers)
    ]
    try:
        worker_cpu_before = sum(cpu_seconds(worker.pid) for worker in started_workers)
        simulator_cpu_before = cpu_seconds(args["simulator_pid"])
        backends.start()
        started = time.monotonic()
        submit_cpu = submit_all(ids, actor, submitters)
        enqueued = time.monotonic() - started
        pending = Booking.objects.filter(pk__in=ids, status__in=(Status.QUEUED, Status.SUBMITTING))
        deadline = started + 600
        while pending.exists() and time.monotonic() < deadline and all(w.popen.poll() is None for w in started_workers):
            time.sleep(0.05)
        wall = time.monotonic() - started
        timed_out = pending.exists()
        worker_cpu = sum(cpu_seconds(worker.pid) for worker in started_workers) - worker_cpu_before
        simulator_cpu = cpu_seconds(args["simulator_pid"]) - simulator_cpu_before
        database_cpu = backends.stop()
    finally:
        for worker in started_workers:
            worker.stop()
    time.sleep(1.2)  # let the statistics collector count the worker's last sessions
    with connection.cursor() as cursor:
        sessions = postgres_sessions(cursor) - sessions_before
    statuses = Counter(Booking.objects.filter(pk__in=ids).values_list("status", flat=True))
    return {
        "wall": wall,
        "enqueued": enqueued,
        "timed_out": timed_out,
        "submit_cpu": submit_cpu,
        "worker_cpu": worker_cpu,
        "database_cpu": database_cpu,
        "simulator_cpu": simulator_cpu,
        "sessions": sessions,
        "statuses": dict(statuses),
        "references": [f"BK-{pk:06d}" for pk in ids],
    }


def run(
    *,
    label: str,
    count: int,
    pool: str,
    concurrency: int,
    workers: int,
    submitters: int,
    latency_ms: int,
    simulator_url: str,
    simulator_pid: int,
    broker_url: str,
    queue: str,
    rate_to_beat: float | None = None,
) -> tuple[Result, float]:
    """One run in a child process; the Result and its bookings per second."""
    from partner_simulator.remote import RemoteSimulator

    simulator = RemoteSimulator(simulator_url)
    simulator.reset()  # the same free slots are booked again by each run
    args = {"label": label.lower(), "count": count, "pool": pool, "concurrency": concurrency, "workers": workers,
            "submitters": submitters, "simulator_pid": simulator_pid}  # fmt: skip
    env = procs.child_env(f"submissions-{label.lower()}", CELERY_BROKER_URL=broker_url, BENCH_CELERY_QUEUE=queue)
    completed = subprocess.run(
        [sys.executable, "-m", "bench.submissions", json.dumps(args)],
        cwd=procs.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.submissions failed:\n{completed.stderr[-3000:]}")
    measured = json.loads(completed.stdout.strip().splitlines()[-1])
    ours = set(measured["references"])
    creates = [c for c in simulator.creates(OPERATION) if c.get("partner_reference") in ours]
    references = Counter(create.get("partner_reference") for create in creates)
    sends = len(simulator.received(OPERATION))
    duplicates = (len(creates) - len(references)) + max(0, sends - count)
    wall = measured["wall"]
    rate = count / wall
    cores = os.cpu_count() or 1
    per_booking = {
        "web (booking_submit)": measured["submit_cpu"] / count,
        "worker": measured["worker_cpu"] / count,
        "database": measured["database_cpu"] / count,
    }
    cpu_per_booking = sum(per_booking.values())
    cpu_bound = cores / cpu_per_booking
    threads = workers * concurrency
    latency_bound = threads / (latency_ms / 1000)
    limit = min(cpu_bound, latency_bound)
    ratio = rate / limit
    worker_sessions = measured["sessions"] - submitters
    connections_goal = 2 * concurrency
    delivered = measured["statuses"].get("awaiting_payment", 0) == count
    holds = not measured["timed_out"] and delivered and duplicates == 0 and ratio >= RATE_GOAL
    if rate_to_beat is None:
        holds = holds and worker_sessions <= connections_goal
        goal = f"≥ {RATE_GOAL} of the limit, 0 duplicates, worker's connections ≤ {connections_goal}"
        connections = f", {worker_sessions} connections"
    else:
        holds = holds and rate >= rate_to_beat
        goal = f"≥ P2's rate ({rate_to_beat:.1f}/s), 0 duplicates"
        connections = ""
    broker = broker_url.split("://", 1)[0]
    value = (
        f"{rate:.1f}/s = {ratio:.2f} of the limit {limit:.0f}/s ({wall:.1f} s), {duplicates} duplicates{connections}"
    )
    return Result(
        id=label,
        measure=f"{count} video bookings via Celery on {broker} ({workers} worker × {pool} {concurrency}), "
        f"simulator {latency_ms} ms",
        value=value + (" (NOT ALL SENT: see details)" if measured["timed_out"] or not delivered else ""),
        goal=goal,
        holds=holds,
        details=[
            f"{workers} × `celery worker --pool={pool} --concurrency={concurrency}` on {broker}, queue `{queue}`, "
            f"on {cores} cores; {submitters} threads called booking_submit (lock, queued, enqueue on commit): all "
            f"submitted after {measured['enqueued']:.1f} s of the {wall:.1f} s.",
            "CPU per booking: "
            + ", ".join(f"{name} {seconds * 1000:.1f} ms" for name, seconds in per_booking.items())
            + f"; total {cpu_per_booking * 1000:.1f} ms. The simulator (standing in for the partner) used "
            f"{measured['simulator_cpu'] / count * 1000:.1f} ms per booking on the same cores, not counted.",
            f"limit = min(cores ÷ CPU per booking, worker threads ÷ partner latency) = min({cores} ÷ "
            f"{cpu_per_booking * 1000:.1f} ms = {cpu_bound:.0f}/s, {threads} ÷ {latency_ms} ms = "
            f"{latency_bound:.0f}/s) = {limit:.0f}/s; measured {rate:.1f}/s = {ratio:.2f} of it.",
            f"the run's processes kept {rate * cpu_per_booking:.2f} of the {cores} cores busy (rate × CPU per "
            f"booking); load average at the end {os.getloadavg()[0]:.1f} (other users of the machine included).",
            "final statuses: "
            + ", ".join(f"{status} {n}" for status, n in Counter(measured["statuses"]).most_common()),
            f"at the partner: {len(creates)} bookings created for {len(references)} portal references, "
            f"{sends} POST /book received.",
            f"PostgreSQL connections opened during the run (`sessions` in pg_stat_database): {measured['sessions']}, "
            f"of which {submitters} by the submitting threads, so {worker_sessions} by the worker.",
        ],
    ), rate


if __name__ == "__main__":
    print(json.dumps(probe(json.loads(sys.argv[1]))))
