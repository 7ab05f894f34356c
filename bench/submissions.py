"""P2: N video-consultation bookings submitted through Celery to the simulator; wall time and duplicates.

The drafts (distinct free slots of the simulator's doctors, tomorrow onwards) are made in
bulk beforehand. The clock starts before the first ``booking_submit`` (the service the Book
button calls: lock, ``queued``, enqueue on commit), called by a few threads at once as
several staff members would, and stops when no booking is queued or submitting any more. Duplicates are counted at the partner: creates the simulator recorded
beyond one per booking, and ``/book`` requests beyond one per booking.
"""

import datetime
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad

from bench import procs
from bench.report import Result
from bookings.models import Booking
from bookings.services.submission import booking_submit
from bookings.states import Status
from partner_simulator import data
from partner_simulator.remote import RemoteSimulator
from partners.models import Partner

OPERATION = "sanar_video.book"
GOAL_SECONDS = 60


def free_slots(count: int) -> list[tuple[dict, datetime.date, dict]]:
    """(doctor, day, slot) the simulator offers, from tomorrow on (no slot that is already past today)."""
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


def submit_all(ids: list[int], actor, submitters: int) -> None:
    def submit(share: list[int]) -> None:
        try:
            for booking_id in share:
                booking_submit(booking_id=booking_id, actor=actor)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(submitters) as executor:
        list(executor.map(submit, [ids[index::submitters] for index in range(submitters)]))


def postgres_sessions() -> int:
    """Connections opened to this database so far (PostgreSQL's statistics, flushed about once a second)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def run(*, count: int, pool: str, concurrency: int, submitters: int, latency_ms: int, simulator_url: str) -> Result:
    actor = get_user_model().objects.get(username="operations")
    simulator = RemoteSimulator(simulator_url)
    ids = make_drafts(count, actor)
    sessions_before = postgres_sessions()
    worker = procs.celery_worker(pool, concurrency)
    try:
        started = time.monotonic()
        submit_all(ids, actor, submitters)
        enqueued = time.monotonic() - started
        pending = Booking.objects.filter(pk__in=ids, status__in=(Status.QUEUED, Status.SUBMITTING))
        deadline = started + max(300, 4 * GOAL_SECONDS)
        while pending.exists() and time.monotonic() < deadline and worker.popen.poll() is None:
            time.sleep(0.1)
        wall = time.monotonic() - started
        timed_out = pending.exists()
    finally:
        worker.stop()
    time.sleep(1.2)  # let the statistics collector count the worker's last sessions
    sessions = postgres_sessions() - sessions_before
    statuses = Counter(Booking.objects.filter(pk__in=ids).values_list("status", flat=True))
    creates = simulator.creates(OPERATION)
    references = Counter(create.get("partner_reference") for create in creates)
    sends = len(simulator.received(OPERATION))
    duplicates = (len(creates) - len(references)) + max(0, sends - count)
    holds = not timed_out and wall <= GOAL_SECONDS and duplicates == 0 and statuses[Status.AWAITING_PAYMENT] == count
    return Result(
        id="P2",
        measure=f"{count} video bookings via Celery ({pool} pool × {concurrency}), simulator {latency_ms} ms",
        value=f"{wall:.1f} s, {count / wall:.1f} bookings/s, {duplicates} duplicates"
        + (" (NOT ALL SENT: see details)" if timed_out else ""),
        goal=f"≤ {GOAL_SECONDS} s, 0 duplicates",
        holds=holds,
        details=[
            f"worker: `celery worker --pool={pool} --concurrency={concurrency}` on 2 cores.",
            f"{submitters} threads called booking_submit (lock, queued, enqueue on commit): all submitted after "
            f"{enqueued:.1f} s of the {wall:.1f} s.",
            "final statuses: " + ", ".join(f"{status} {n}" for status, n in statuses.most_common()),
            f"at the partner: {len(creates)} bookings created for {len(references)} portal references, "
            f"{sends} POST /book received.",
            f"PostgreSQL connections opened during the run: {sessions} (the worker's and the submitting "
            "threads'; `CELERY_DB_REUSE_MAX=0` brings back one per task).",
        ],
    )
