"""``manage.py generate_bookings --count 100000 --seed 1``: realistic bookings in bulk for the benchmarks.

A command of the ``bench`` app, which only ``bench/settings.py`` installs.

Each booking gets the history that leads to its status (``BookingEvent`` rows), one
``UpstreamCall`` row per send attempt (some bookings needed two or three), a partner and a
status drawn from a realistic mix, amounts mostly in SAR with a few USD and AED, and a
``created_at`` spread over the last ``--days`` days. Rows are added (nothing is deleted);
ids come from the tables' own sequences, so references are ``BK-<id>`` as the portal makes
them. PostgreSQL gets the rows through COPY, a batch of bookings in one transaction.

Batches are written by ``--jobs`` processes (default: one per core), since one process keeps
only one core busy with its own Python and PostgreSQL's work on it by turns. Each batch draws
from its own random generator, seeded with the seed and the batch's number, so the bookings
do not depend on the number of processes.
"""

import itertools
import multiprocessing
import os
import random
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.db.backends.postgresql.operations import get_json_dumps
from django.db.backends.postgresql.psycopg_any import Jsonb
from django.utils import timezone

from accounts import roles
from bookings.models import Booking, BookingEvent
from bookings.states import Status
from partner_simulator import data as catalogue
from partners.models import Credential, Partner, UpstreamCall


class Mix:
    """Weighted choices, with the cumulative weights computed once."""

    def __init__(self, weights: dict):
        self.values = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))

    def pick(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


Outcome = UpstreamCall.Outcome
SANAR_MIX = Mix({
    Status.RECONCILED: 30, Status.AWAITING_PAYMENT: 34, Status.DRAFT: 6, Status.QUEUED: 0.3,
    Status.SUBMITTING: 0.2, Status.SLOT_UNAVAILABLE: 3, Status.FAILED: 4, Status.NEEDS_ATTENTION: 1.5,
    Status.VERIFY_WITH_PARTNER: 1, Status.CANCELLED: 5,
})  # fmt: skip
SANDICARE_MIX = Mix({
    Status.ENROLLED: 60, Status.RECONCILED: 15, Status.DRAFT: 5, Status.QUEUED: 0.3, Status.SUBMITTING: 0.2,
    Status.FAILED: 10, Status.NEEDS_ATTENTION: 1.5, Status.VERIFY_WITH_PARTNER: 1, Status.CANCELLED: 4,
})  # fmt: skip
PARTNER_MIX = Mix({Partner.Code.SANAR_VIDEO: 45, Partner.Code.SANAR_VACCINATION: 30, Partner.Code.SANDICARE: 25})
CURRENCY_MIX = Mix({"SAR": 95, "USD": 3, "AED": 2})
FROM_SAR = {"SAR": Decimal("1"), "USD": Decimal("0.2667"), "AED": Decimal("0.9793")}
MAX_ATTEMPTS = 5
RETRY_MIX = Mix({0: 90, 1: 8, 2: 2})  # retries before the final attempt
# What a failed final attempt looked like: (outcome, HTTP status, body status, message).
FAILURE_CALLS = {
    Status.SLOT_UNAVAILABLE: (Outcome.SLOT_UNAVAILABLE, 200, "1005", "Slot is no longer available"),
    Status.FAILED: (Outcome.VALIDATION, 200, "1001", "patient.mobile: invalid"),
    Status.NEEDS_ATTENTION: (Outcome.SERVER_ERROR, 200, "5000", "Internal error"),
    Status.VERIFY_WITH_PARTNER: (Outcome.TIMEOUT_AFTER_SEND, None, "", "Read timed out after the request was sent"),
}
SANDICARE_FAILURE_CALLS = {
    **FAILURE_CALLS,
    Status.FAILED: (Outcome.NOT_FOUND, 404, "", "No active subscription"),
    Status.NEEDS_ATTENTION: (Outcome.SERVER_ERROR, 503, "", "Service unavailable"),
}
RETRY_CALL = (Outcome.SERVER_ERROR, 503, "5000", "Service unavailable")
FIRST_NAMES = ("Ahmed", "Fatimah", "Mohammed", "Noura", "Khalid", "Sara", "Omar", "Layla", "Abdullah", "Hana")
LAST_NAMES = ("Al Harbi", "Al Qahtani", "Al Otaibi", "Haddad", "Saleh", "Mansour", "Al Shammari", "Al Ghamdi")


class Command(BaseCommand):
    help = "Add COUNT realistic bookings with their history and partner calls, in bulk (fast: uses COPY on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same bookings (ids aside).")
        parser.add_argument("--days", type=int, default=90, help="created_at is spread over this many days back.")
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument(
            "--jobs", type=int, default=os.cpu_count() or 1, help="Processes writing batches (default: cores)."
        )

    def handle(self, *args, count, seed, days, batch_size, jobs, **options):
        if count < 0 or days < 1 or batch_size < 1 or jobs < 1:
            raise CommandError("--count must be ≥ 0, --days, --batch-size and --jobs ≥ 1.")
        partners = {partner.code: partner for partner in Partner.objects.all()}
        if missing := set(PARTNER_MIX.values) - set(partners):
            raise CommandError(f"Partners missing (run migrate): {', '.join(sorted(missing))}.")
        self.seed, self.now, self.days = seed, timezone.now(), days
        self.partners = partners
        self.sandicare_id = partners[Partner.Code.SANDICARE].pk
        active = Credential.objects.filter(is_active=True, environment=settings.PARTNER_ENVIRONMENT)
        self.credentials = dict(active.values_list("partner_id", "id"))
        users = get_user_model().objects.order_by("pk")
        self.operators = list(users.filter(groups__name=roles.OPERATIONS).values_list("pk", flat=True)) or [None]
        self.finance = list(users.filter(groups__name=roles.FINANCE).values_list("pk", flat=True)) or [None]
        batches = [
            (number, min(batch_size, count - offset)) for number, offset in enumerate(range(0, count, batch_size))
        ]
        started, written = time.monotonic(), Counter()
        for rows_written in self._write_batches(batches, jobs):
            written.update(rows_written)
        if count:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE bookings_booking, bookings_bookingevent, partners_upstreamcall")
        elapsed = max(time.monotonic() - started, 1e-9)
        rows = sum(written.values())
        self.stdout.write(
            f"Generated {written[Booking]} bookings, {written[BookingEvent]} events and "
            f"{written[UpstreamCall]} partner calls in {elapsed:.1f} s "
            f"({written[Booking] / elapsed:,.0f} bookings/s, {rows / elapsed:,.0f} rows/s)."
        )

    def _write_batches(self, batches: list[tuple[int, int]], jobs: int):
        if jobs == 1 or len(batches) < 2:
            return map(self._write_batch, batches)
        if connection.in_atomic_block:
            raise CommandError("--jobs above 1 needs autocommit: the processes cannot see this transaction's rows.")
        global _forked_command
        _forked_command = self
        # A forked child must open its own connection: a socket shared with the parent would mix
        # both conversations.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(min(jobs, len(batches))) as pool:
            return pool.map(_write_forked_batch, batches, chunksize=1)

    def _write_batch(self, batch: tuple[int, int]) -> Counter:
        number, size = batch
        self.rng = random.Random(f"{self.seed}:{number}")
        written = Counter()
        with transaction.atomic():  # a batch lands whole: bookings with their calls and events
            for model, rows in self._batch(size).items():
                _write(model, rows)
                written[model] = len(rows)
        return written

    # --- one batch: bookings, then the calls and events that point at them ---

    def _batch(self, size: int) -> dict:
        bookings, calls, events = [], [], []
        for pk in _reserve_ids(Booking, size):
            booking = self._booking(pk)
            history_calls, history_events = self._history(booking)
            bookings.append(booking)
            calls += history_calls
            events += history_events
        for call, pk in zip(calls, _reserve_ids(UpstreamCall, len(calls)), strict=True):
            call["id"] = pk
        for event, pk in zip(events, _reserve_ids(BookingEvent, len(events)), strict=True):
            event["id"] = pk
            event["upstream_call_id"] = call["id"] if (call := event.pop("upstream_call")) else None
        return {Booking: bookings, UpstreamCall: calls, BookingEvent: events}

    def _booking(self, pk: int) -> dict:
        rng = self.rng
        partner = self.partners[PARTNER_MIX.pick(rng)]
        created_at = self._created_at()
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        booking = {
            "id": pk,
            "reference": f"BK-{pk:06d}",
            "partner_id": partner.pk,
            "status": (SANDICARE_MIX if partner.code == Partner.Code.SANDICARE else SANAR_MIX).pick(rng),
            "patient_name": f"{first} {last}",
            "patient_gender": rng.choice(Booking.Gender.values),
            "mobile": f"+9665{rng.randrange(10**8):08d}",
            "email": f"{first}.{last.replace(' ', '')}{rng.randrange(100)}@example.org".lower(),
            "idempotency_key": uuid.UUID(int=(rng.getrandbits(80) << 48) | pk, version=4),
            "created_by_id": rng.choice(self.operators),
            "created_at": created_at,
            "updated_at": created_at,
        }
        if booking["status"] == Status.RECONCILED and self.now - created_at < timedelta(days=3):
            booking["status"] = Status.ENROLLED if partner.code == Partner.Code.SANDICARE else Status.AWAITING_PAYMENT
        booking.update(getattr(self, f"_{partner.code}")(created_at))
        if (price := booking.pop("price_sar", None)) is not None:
            currency = CURRENCY_MIX.pick(rng)
            booking["amount"] = (price * FROM_SAR[currency]).quantize(Decimal("0.01"))
            booking["currency"] = currency
        return booking

    def _created_at(self) -> datetime:
        local = timezone.localtime(self.now) - timedelta(days=self.rng.randrange(self.days))
        moment = local.replace(hour=8, minute=0, second=0, microsecond=0) + timedelta(
            seconds=self.rng.randrange(13 * 3600)
        )
        return moment if moment < self.now else self.now - timedelta(seconds=self.rng.randrange(1, 3600))

    def _appointment(self, created_at: datetime, first_hour: int) -> dict:
        minutes = first_hour * 60 + 30 * self.rng.randrange(catalogue.SLOTS_PER_DAY)
        hhmm = f"{minutes // 60:02d}{minutes % 60:02d}"
        return {
            "appointment_date": timezone.localdate(created_at) + timedelta(days=self.rng.randrange(1, 15)),
            "appointment_time": f"{hhmm[:2]}:{hhmm[2:]}",
            "slot_id": f"S-{hhmm}",
        }

    def _sanar_video(self, created_at: datetime) -> dict:
        doctor = self.rng.choice(list(catalogue.DOCTORS.values()))
        return {
            "speciality_id": doctor["spec_id"],
            "speciality_name": doctor["speciality"],
            "doctor_id": doctor["doctor_id"],
            "doctor_name": doctor["name"],
            "patient_dob": created_at.date() - timedelta(days=self.rng.randrange(18 * 365, 80 * 365)),
            "price_sar": Decimal(doctor["pay_amount"].split()[-1]),
            **self._appointment(created_at, catalogue.DOCTOR_FIRST_HOUR[doctor["doctor_id"]]),
        }

    def _sanar_vaccination(self, created_at: datetime) -> dict:
        provider = self.rng.choice(list(catalogue.PROVIDERS.values()))
        services = self.rng.sample(sorted(provider["services"]), self.rng.choice((1, 1, 1, 2)))
        return {
            "service_ids": services,
            "service_names": [catalogue.PRODUCT_SERVICES[s]["name"] for s in services],
            "provider_id": provider["provider_id"],
            "provider_name": provider["name"],
            "location": {"city": provider["city"], "lat": provider["lat"], "lng": provider["lng"]},
            "patient_dob": created_at.date() - timedelta(days=self.rng.randrange(30, 6 * 365)),
            "guardian_name": f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}",
            "price_sar": sum(Decimal(catalogue.PRODUCT_SERVICES[s]["price"]) for s in services),
            **self._appointment(created_at, provider["first_hour"]),
        }

    def _sandicare(self, created_at: datetime) -> dict:
        program = self.rng.choice(("1001", "1002"))
        return {
            "program_id": program,
            "sandicare_service": self.rng.choice(catalogue.SANDICARE_PROGRAMS[program]["services"]),
            "patient_dob": created_at.date() - timedelta(days=self.rng.randrange(18 * 365, 80 * 365)),
        }

    # --- the history that leads to the status ---

    def _history(self, booking: dict) -> tuple[list[dict], list[dict]]:
        rng, status, actor = self.rng, booking["status"], booking["created_by_id"]
        calls, events = [], []
        at = booking["created_at"]

        def event(to: str, reason: str, *, from_status: str, actor=None, call=None):
            events.append({
                "booking_id": booking["id"], "from_status": from_status, "to_status": to, "actor_id": actor,
                "reason": reason, "upstream_call": call, "created_at": at,
            })  # fmt: skip

        event(Status.DRAFT, "Draft started", from_status="", actor=actor)
        if status == Status.CANCELLED:
            at += timedelta(minutes=rng.randrange(1, 60))
            event(Status.CANCELLED, "Cancelled by staff", from_status=Status.DRAFT, actor=actor)
        if status in (Status.DRAFT, Status.CANCELLED):
            return self._finish(booking, at, calls, events)
        at += timedelta(seconds=rng.randrange(60, 400))
        booking["submitted_at"] = at
        event(Status.QUEUED, "Submitted by staff", from_status=Status.DRAFT, actor=actor)
        if status == Status.QUEUED:
            return self._finish(booking, at, calls, events)
        retries = MAX_ATTEMPTS - 1 if status == Status.NEEDS_ATTENTION else RETRY_MIX.pick(rng)
        for attempt in range(1, retries + 2):
            at += timedelta(seconds=5 * 2 ** (attempt - 2)) if attempt > 1 else timedelta(milliseconds=200)
            event(Status.SUBMITTING, f"Sending (attempt {attempt})", from_status=Status.QUEUED)
            if status == Status.SUBMITTING:
                return self._finish(booking, at, calls, events)
            final = attempt == retries + 1
            failures = SANDICARE_FAILURE_CALLS if booking["partner_id"] == self.sandicare_id else FAILURE_CALLS
            failure = failures.get(status) if final else RETRY_CALL
            call = self._call(booking, at, attempt, failure)
            calls.append(call)
            at = call["created_at"]
            if not final:
                event(Status.QUEUED, "server_error: the partner did not act; retrying", from_status=Status.SUBMITTING)
        if status in FAILURE_CALLS:
            booking["partner_message"] = call["error"]
            event(status, f"{call['outcome']}", from_status=Status.SUBMITTING, call=call)
            return self._finish(booking, at, calls, events)
        booked = Status.ENROLLED if booking["partner_id"] == self.sandicare_id else None
        event(booked or Status.AWAITING_PAYMENT, "Partner accepted", from_status=Status.SUBMITTING, call=call)
        if status == Status.RECONCILED:
            at += timedelta(days=rng.uniform(2, min(20, (self.now - at).total_seconds() / 86400)))
            event(Status.RECONCILED, "Paid: bank statement", from_status=booked or Status.AWAITING_PAYMENT,
                  actor=rng.choice(self.finance))  # fmt: skip
        return self._finish(booking, at, calls, events)

    def _call(self, booking: dict, at: datetime, attempt: int, failure) -> dict:
        sandicare = booking["partner_id"] == self.sandicare_id
        ok = failure is None
        outcome, http_status, body_status, message = failure or (Outcome.OK, 200, "" if sandicare else "1000", "")
        latency = 15_000 if outcome == Outcome.TIMEOUT_AFTER_SEND else int(self.rng.lognormvariate(5.6, 0.4))
        if ok and sandicare:
            booking["enrollment_url"] = f"https://nimbo.example/waiting-room/{booking['id']:010x}"
            booking["upstream_response"] = {"url": booking["enrollment_url"]}
        elif ok:
            booking["upstream_booking_id"] = f"SNR-{booking['id']:08d}"
            booking["payment_url"] = f"https://pay.sanar.example/checkout/{booking['upstream_booking_id']}"
            booking["upstream_response"] = {
                "booking_id": booking["upstream_booking_id"],
                "payment_url": booking["payment_url"],
                "amount": f"{booking.get('currency')} {booking.get('amount')}",
            }
        return {
            "partner_id": booking["partner_id"],
            "credential_id": self.credentials.get(booking["partner_id"]),
            "booking_id": booking["id"],
            "operation": "enroll" if sandicare else "book",
            "method": "POST",
            "url": "https://api.sandicare.example/api/v1/enroll" if sandicare else "https://api.sanar.example/v1/book",
            "attempt": attempt,
            "http_status": http_status,
            "body_status": body_status,
            "outcome": outcome,
            "latency_ms": latency,
            "request_body": {"partner_reference": booking["reference"], "patient": {"name": "[redacted]"}},
            "response_body": "" if http_status is None else f'{{"status": "{body_status or http_status}"}}',
            "error": message,
            "created_at": at + timedelta(milliseconds=latency),
        }

    @staticmethod
    def _finish(booking: dict, at: datetime, calls: list[dict], events: list[dict]) -> tuple[list, list]:
        booking["status_changed_at"] = booking["updated_at"] = at
        booking["submit_attempts"] = sum(event["to_status"] == Status.SUBMITTING for event in events)
        return calls, events


# --- writing ---

_forked_command: Command | None = None  # set in the parent before the pool forks; the children inherit it


def _write_forked_batch(batch: tuple[int, int]) -> Counter:
    assert _forked_command is not None
    try:
        return _forked_command._write_batch(batch)
    finally:
        connections.close_all()  # the pool ends its processes without closing what they opened


def _reserve_ids(model, count: int) -> list[int]:
    """``count`` new primary keys, from the table's sequence."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _write(model, rows: list[dict]) -> None:
    """Every column of ``model`` PostgreSQL does not compute; a value a row does not name is the
    field's default."""
    fields = [field for field in model._meta.concrete_fields if not field.generated]
    defaults = [(field.attname, field.get_default()) for field in fields]
    # psycopg adapts plain Python values itself; JSON is wrapped as the field would (None is SQL NULL),
    # without the field's per-value lookups (a third of this command's CPU went there).
    prepare = [(i, get_json_dumps(f.encoder)) for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]

    def values(row: dict) -> list:
        line = [row.get(attname, default) for attname, default in defaults]
        for i, dumps in prepare:
            if line[i] is not None:
                line[i] = Jsonb(line[i], dumps=dumps)
        return line

    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    # Table and column names come from the model's meta, never from input.
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(values(row))
