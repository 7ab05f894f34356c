"""Reads of bookings: querysets for pages, API and exports."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from bookings.aggregates import Percentile
from bookings.day_totals import usable as day_totals_kept
from bookings.models import Booking, BookingDayTotal, BookingEvent, SettlementImport, SettlementLine
from bookings.states import NEEDS_A_PERSON, Status
from partners.models import Credential, Partner, UpstreamCall


def bookings_needing_a_person(limit: int = 20) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(status__in=NEEDS_A_PERSON)
        .select_related("partner", "created_by")
        .order_by("status_changed_at")[:limit]
    )


def last_failure_outcome(booking: Booking) -> str | None:
    """The outcome of the partner call behind the booking's latest state change, if any."""
    event = booking.events.select_related("upstream_call").order_by("-created_at", "-id").first()
    if event is None or event.upstream_call is None:
        return None
    return event.upstream_call.outcome


# --- Records: the bookings list, its totals, the export and one booking's timeline ---


def bookings_for_finance() -> QuerySet[Booking]:
    """Every booking with what the list, the API and the export show; narrow it with ``BookingFilter``."""
    return Booking.objects.select_related("partner", "created_by")


# What a row of the bookings page shows; the booking's other columns (partner answers, JSON) stay unread.
LIST_COLUMNS = (
    "reference",
    "status",
    "patient_name",
    "mobile",
    "email",
    "created_at",
    "appointment_date",
    "appointment_time",
    "upstream_booking_id",
    "amount",
    "currency",
)


def with_list_columns(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    """``queryset`` reading only what a row of the bookings page shows.

    The partner's name and the creator's username come as ``partner_name`` and
    ``created_by_username``: one object per row instead of three.
    """
    return queryset.only(*LIST_COLUMNS).annotate(
        partner_name=F("partner__name"), created_by_username=F("created_by__username")
    )


def booking_totals(queryset: QuerySet[Booking], day_totals: Q | None = None) -> list[dict]:
    """[{partner__name, currency, count, total}]: amounts are summed per currency, never across.

    ``day_totals`` is the same selection over ``BookingDayTotal`` (``BookingFilter.day_totals_filter``):
    where the day totals are kept, about one row per day is added up instead of every booking.
    Otherwise the bookings are grouped on their own columns, which the finance index covers (an
    index-only scan on PostgreSQL). The partner's name is looked up once per group.
    """
    name = Partner.objects.filter(pk=OuterRef("partner_id")).values("name")[:1]
    if day_totals is not None and day_totals_kept():
        rows = (
            BookingDayTotal.objects.filter(day_totals)
            .values("partner_id", "currency")
            .annotate(count=Sum("bookings"), priced=Sum("priced"), total=Sum("amount"))
            .filter(count__gt=0)
        )
    else:
        rows = (
            queryset.order_by()
            .values("partner_id", "currency")
            .annotate(count=Count("*"), priced=Count("amount"), total=Sum("amount"))
        )
    rows = rows.annotate(partner_name=Subquery(name)).order_by("partner_name", "currency")
    return [
        {
            "partner__name": row["partner_name"],
            "currency": row["currency"],
            "count": row["count"],
            "total": row["total"] if row["priced"] else None,
        }
        for row in rows
    ]


def booking_export_rows(queryset: QuerySet[Booking], fields: tuple) -> Iterator[tuple]:
    """Rows of ``fields`` as the database sends them, without Django's converters.

    They are streamed (psycopg's ``stream``, 2,000 rows a message): the database goes on
    sending while the rows are used, instead of waiting for each fetch. Until the rows are read
    to the end, or the iterator closed, the connection serves no other query. The export's
    fields are all text or numbers, which need no converter.
    """
    return _streamed(*queryset.values_list(*fields).query.sql_with_params())


def _streamed(sql: str, params: tuple) -> Iterator[tuple]:
    with connection.cursor() as cursor:
        yield from cursor.cursor.stream(sql, params, size=2000)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    event: BookingEvent | None = None
    call: UpstreamCall | None = None


def booking_timeline(booking: Booking) -> list[TimelineEntry]:
    """State changes and partner attempts of one booking, oldest first (two queries)."""
    events = booking.events.select_related("actor").order_by("created_at", "id")
    calls = UpstreamCall.objects.filter(booking=booking).order_by("created_at", "id")
    entries = [TimelineEntry(at=call.created_at, call=call) for call in calls]
    entries += [TimelineEntry(at=event.created_at, event=event) for event in events]
    # An attempt and the state change it caused share a moment: the attempt comes first.
    return sorted(entries, key=lambda entry: (entry.at, entry.event is not None))


# --- Settlement imports ---


def settlement_imports() -> QuerySet[SettlementImport]:
    return SettlementImport.objects.defer("content").select_related("partner", "uploaded_by", "confirmed_by")


def settlement_lines(settlement: SettlementImport, category: str | None = None) -> QuerySet[SettlementLine]:
    # File rows in file order, then the bookings missing from the file (no line number).
    lines = settlement.lines.select_related("booking").order_by(F("line_number").asc(nulls_last=True), "id")
    return lines.filter(category=category) if category else lines


# --- Dashboard: each partner's health ---


@dataclass
class PartnerHealth:
    partner: Partner
    today: list[tuple[str, str, int]]  # (status, label, count)
    calls: int = 0
    ok_calls: int = 0
    p95_latency_ms: float | None = None

    @property
    def today_total(self) -> int:
        return sum(count for _, _, count in self.today)

    @property
    def success_percent(self) -> float | None:
        return 100 * self.ok_calls / self.calls if self.calls else None

    @property
    def last_error(self) -> str:
        """The last failed call's error text, or its outcome's label when it has none."""
        if not self.partner.last_error_at:
            return ""
        if self.partner.last_error:
            return self.partner.last_error
        outcomes = dict(UpstreamCall.Outcome.choices)
        return outcomes.get(self.partner.last_error_outcome, self.partner.last_error_outcome)

    @property
    def credential(self) -> Credential | None:
        return self.partner.active_credentials[0] if self.partner.active_credentials else None


def partner_health(*, now: datetime | None = None) -> list[PartnerHealth]:
    """Per active partner: today's bookings by status, the last 24 h of calls, last error, credential."""
    now = now or timezone.now()
    errors = UpstreamCall.objects.filter(partner=OuterRef("pk")).exclude(outcome=UpstreamCall.Outcome.OK)
    errors = errors.order_by("-created_at", "-id")
    partners = (
        Partner.objects.filter(is_active=True)
        .annotate(
            last_error_at=Subquery(errors.values("created_at")[:1]),
            last_error_outcome=Subquery(errors.values("outcome")[:1]),
            last_error=Subquery(errors.values("error")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "credentials",
                queryset=Credential.objects.filter(is_active=True, environment=settings.PARTNER_ENVIRONMENT),
                to_attr="active_credentials",
            )
        )
    )
    today = _today_counts_by_partner(now)
    stats = upstream_call_stats(since=now - timedelta(hours=24))
    health = []
    for partner in partners:
        row = PartnerHealth(partner=partner, today=today.get(partner.pk, []))
        if partner_stats := stats.get(partner.pk):
            row.calls, row.ok_calls, row.p95_latency_ms = partner_stats
        health.append(row)
    return health


def _today_counts_by_partner(now: datetime) -> dict[int, list[tuple[str, str, int]]]:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        Booking.objects.filter(created_at__gte=start)
        .values_list("partner_id", "status")
        .annotate(count=Count("id"))
        .order_by("partner_id", "status")
    )
    counts: dict[int, list[tuple[str, str, int]]] = {}
    for partner_id, status, count in rows:
        counts.setdefault(partner_id, []).append((status, Status(status).label, count))
    return counts


def upstream_call_stats(*, since: datetime) -> dict[int, tuple[int, int, float | None]]:
    """{partner id: (calls, ok calls, p95 latency in ms)} for calls made since ``since``."""
    rows = (
        UpstreamCall.objects.filter(created_at__gte=since)
        .values("partner_id")
        .annotate(
            total=Count("id"),
            ok=Count("id", filter=Q(outcome=UpstreamCall.Outcome.OK)),
            p95=Percentile("latency_ms", 0.95),
        )
    )
    return {row["partner_id"]: (row["total"], row["ok"], row["p95"]) for row in rows.order_by()}
