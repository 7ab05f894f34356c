"""Reads of bookings: querysets for pages, API and exports."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from bookings.day_totals import usable as day_totals_kept
from bookings.models import Booking, BookingDayTotal, BookingEvent, SettlementImport, SettlementLine
from bookings.states import BOOKED, EDITABLE, NEEDS_A_PERSON, Status
from partners.models import Partner, UpstreamCall

if TYPE_CHECKING:
    from messaging.models import Message


def bookings_needing_a_person(limit: int = 20) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(status__in=NEEDS_A_PERSON)
        .select_related("partner", "created_by")
        .order_by("status_changed_at")[:limit]
    )


def bookings_to_resume(limit: int = 10) -> QuerySet[Booking]:
    """Drafts, and bookings the partner sent back for a change: the latest touched first."""
    return (
        Booking.objects.filter(status__in=EDITABLE)
        .select_related("partner", "created_by")
        .order_by("-status_changed_at", "-id")[:limit]
    )


def bookings_created_since(start: datetime, limit: int = 20) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(created_at__gte=start).select_related("partner").order_by("-created_at", "-id")[:limit]
    )


def last_failure_outcome(booking: Booking) -> str | None:
    """The outcome of the partner call behind the booking's latest state change, if any."""
    event = booking.events.select_related("upstream_call").order_by("-created_at", "-id").first()
    if event is None or event.upstream_call is None:
        return None
    return event.upstream_call.outcome


def reopened_from(booking: Booking) -> str | None:
    """The state a draft was reopened from, when its latest change reopened it; else None."""
    event = booking.events.order_by("-created_at", "-id").only("from_status", "to_status").first()
    if event is None or event.to_status != Status.DRAFT:
        return None
    return event.from_status or None


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
    "quoted_amount",
    "quoted_currency",
    "price_changed",
    "patient",
)


def with_list_columns(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    """``queryset`` reading only what a row of the bookings page shows.

    The partner's name and the creator's username come as ``partner_name`` and
    ``created_by_username``: one object per row instead of three.
    """
    return queryset.only(*LIST_COLUMNS).annotate(
        partner_name=F("partner__name"), created_by_username=F("created_by__username")
    )


@dataclass(frozen=True)
class BookingTotals:
    """The totals of a filtered list of bookings.

    ``booked``: the bookings the partner has (``states.BOOKED``), per partner and currency:
    ``[{partner__name, currency, count, total}]``, amounts summed per currency, never across.
    ``not_booked``: every other booking, counted per partner and status, never added up:
    ``[{partner__name, status, status_display, count}]``.
    """

    booked: list[dict]
    not_booked: list[dict]

    @property
    def count(self) -> int:
        return sum(row["count"] for row in (*self.booked, *self.not_booked))


def booking_totals(queryset: QuerySet[Booking], day_totals: Q | None = None) -> BookingTotals:
    """The filtered bookings' totals (``BookingTotals``), from one grouped query.

    ``day_totals`` is the same selection over ``BookingDayTotal`` (``BookingFilter.day_totals_filter``):
    where the day totals are kept, about one row per day is added up instead of every booking.
    Otherwise the bookings are grouped on their own columns, which the finance index covers (an
    index-only scan on PostgreSQL). The partner's name is looked up once per group.
    """
    name = Partner.objects.filter(pk=OuterRef("partner_id")).values("name")[:1]
    if day_totals is not None and day_totals_kept():
        rows = (
            BookingDayTotal.objects.filter(day_totals)
            .values("partner_id", "status", "currency")
            .annotate(count=Sum("bookings"), priced=Sum("priced"), total=Sum("amount"))
            .filter(count__gt=0)
        )
    else:
        rows = (
            queryset.order_by()
            .values("partner_id", "status", "currency")
            .annotate(count=Count("*"), priced=Count("amount"), total=Sum("amount"))
        )
    rows = rows.annotate(partner_name=Subquery(name)).order_by("partner_name", "currency")
    booked: dict[tuple[str, str], dict] = {}
    not_booked: dict[tuple[str, str], int] = {}
    for row in rows:
        if row["status"] in BOOKED:
            group = booked.setdefault(
                (row["partner_name"], row["currency"]),
                {"partner__name": row["partner_name"], "currency": row["currency"], "count": 0, "total": None},
            )
            group["count"] += row["count"]
            if row["priced"]:
                group["total"] = (group["total"] or 0) + row["total"]
        else:
            key = (row["partner_name"], row["status"])
            not_booked[key] = not_booked.get(key, 0) + row["count"]
    state_order = {status: index for index, status in enumerate(Status.values)}
    return BookingTotals(
        booked=list(booked.values()),
        not_booked=[
            {"partner__name": partner_name, "status": status, "status_display": Status(status).label, "count": count}
            for (partner_name, status), count in sorted(
                not_booked.items(), key=lambda item: (item[0][0], state_order[item[0][1]])
            )
        ],
    )


def booking_export_rows(queryset: QuerySet[Booking], fields: tuple) -> Iterator[tuple]:
    """Rows of ``fields`` as the database sends them, without Django's converters.

    They are streamed (psycopg's ``stream``, 2,000 rows a message): the database goes on
    sending while the rows are used, instead of waiting for each fetch. Until the rows are read
    to the end, or the iterator closed, the connection serves no other query. The export's
    fields are all text or numbers, which need no converter.
    """
    return _streamed(*queryset.values_list(*fields).query.sql_with_params())


def settlement_report_rows(settlement: SettlementImport, fields: tuple) -> Iterator[tuple]:
    """The report's lines as ``fields``, in report order, streamed as ``booking_export_rows`` are."""
    return _streamed(*settlement_lines(settlement).values_list(*fields).query.sql_with_params())


def _streamed(sql: str, params: tuple) -> Iterator[tuple]:
    with connection.cursor() as cursor:
        yield from cursor.cursor.stream(sql, params, size=2000)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    event: BookingEvent | None = None
    call: UpstreamCall | None = None
    message: "Message | None" = None


def booking_timeline(booking: Booking) -> list[TimelineEntry]:
    """State changes, partner attempts and messages to the patient of one booking, oldest first
    (three queries)."""
    events = booking.events.select_related("actor").order_by("created_at", "id")
    calls = UpstreamCall.objects.filter(booking=booking).order_by("created_at", "id")
    messages = (
        booking.messages.select_related("requested_by").prefetch_related("attempt_log").order_by("created_at", "id")
    )
    entries = [TimelineEntry(at=call.created_at, call=call) for call in calls]
    entries += [TimelineEntry(at=event.created_at, event=event) for event in events]
    entries += [TimelineEntry(at=message.created_at, message=message) for message in messages]
    # An attempt and the state change it caused share a moment: the attempt comes first.
    return sorted(entries, key=lambda entry: (entry.at, entry.event is not None, entry.message is not None))


# --- Settlement imports ---


def settlement_imports() -> QuerySet[SettlementImport]:
    return SettlementImport.objects.defer("content").select_related("partner", "uploaded_by", "confirmed_by")


def settlement_lines(settlement: SettlementImport, category: str | None = None) -> QuerySet[SettlementLine]:
    # File rows in file order, then the bookings missing from the file (no line number).
    lines = settlement.lines.select_related("booking", "resolved_by").order_by(
        F("line_number").asc(nulls_last=True), "id"
    )
    return lines.filter(category=category) if category else lines
