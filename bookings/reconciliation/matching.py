"""Compare a validated settlement file with the portal's bookings of that partner.

Rules (docs/finance.md, "Reconciliation report"):
- a row is looked up by the partner's booking id, then by the portal reference;
- an id present on more than one row is a duplicate: none of its rows is matched;
- a row whose booking is awaiting payment / enrolled is matched when currency and amount
  agree, else a currency mismatch (checked first) or an amount mismatch;
- a row whose booking is already reconciled is reported as such; a row with no booked
  booking behind it is "unknown to the portal";
- "missing" lists the partner's bookings awaiting payment / enrolled, created on or before
  the last day the file covers, that no row mentions.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.models import Booking, SettlementLine
from bookings.reconciliation.parsing import SettlementRow
from bookings.states import BOOKED, RECONCILABLE, Status
from partners.models import Partner

Category = SettlementLine.Category
_LOOKUP_CHUNK = 5000
_CENTS = Decimal("0.01")
_BOOKING_FIELDS = ("id", "reference", "upstream_booking_id", "status", "amount", "currency", "settlement_import_id")


@dataclass
class ReportLine:
    category: str
    line_number: int | None = None
    partner_booking_id: str = ""
    amount: Decimal | None = None
    currency: str = ""
    paid_at: datetime | None = None
    paid_date_only: bool = False
    partner_status: str = ""
    booking_id: int | None = None
    expected_amount: Decimal | None = None
    expected_currency: str = ""
    note: str = ""


@dataclass
class Report:
    lines: list[ReportLine]
    summary: dict


def build_report(*, partner: Partner, rows: list[SettlementRow]) -> Report:
    ids = Counter(row.partner_booking_id for row in rows)
    bookings = _bookings_for_ids(partner, list(ids))
    lines = [_line_for_row(row, bookings.get(row.partner_booking_id), ids[row.partner_booking_id]) for row in rows]
    cutoff = _missing_cutoff(rows)
    seen = {line.booking_id for line in lines if line.booking_id}
    lines.extend(_missing_lines(partner, cutoff, seen))
    summary = _summary(rows, lines, cutoff)
    if not summary["counts"][Category.MATCHED]:
        summary["matches_elsewhere"] = _matches_elsewhere(partner, list(ids))
    return Report(lines=lines, summary=summary)


def _bookings_for_ids(partner: Partner, ids: list[str]) -> dict[str, dict]:
    """{file id: booking values}, by partner booking id first, then by portal reference."""
    by_upstream: dict[str, list[dict]] = defaultdict(list)
    by_reference: dict[str, dict] = {}
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        chunk = ids[start : start + _LOOKUP_CHUNK]
        found = Booking.objects.filter(
            Q(upstream_booking_id__in=chunk) | Q(reference__in=chunk), partner=partner
        ).values(*_BOOKING_FIELDS)
        for booking in found:
            if booking["upstream_booking_id"]:
                by_upstream[booking["upstream_booking_id"]].append(booking)
            if booking["reference"]:
                by_reference[booking["reference"]] = booking
    result = {}
    for file_id in ids:
        candidates = by_upstream.get(file_id, [])
        # The same partner id on two portal bookings: prefer the one that reached the partner.
        booked = [b for b in candidates if b["status"] in BOOKED]
        matches = booked or candidates
        booking = matches[0] if matches else by_reference.get(file_id)
        if booking:
            result[file_id] = booking
    return result


def _matches_elsewhere(partner: Partner, ids: list[str]) -> list[dict]:
    """The other partners whose bookings carry the file's ids: a hint that the wrong partner was chosen.

    Read from the first ids only (a hint, not a report); ``[{partner, partner_name, bookings}]``.
    """
    chunk = ids[:_LOOKUP_CHUNK]
    found = (
        Booking.objects.filter(Q(upstream_booking_id__in=chunk) | Q(reference__in=chunk))
        .exclude(partner=partner)
        .values("partner__code", "partner__name")
        .annotate(bookings=Count("id"))
        .order_by("-bookings", "partner__name")
    )
    return [
        {"partner": row["partner__code"], "partner_name": row["partner__name"], "bookings": row["bookings"]}
        for row in found
    ]


def _line_for_row(row: SettlementRow, booking: dict | None, occurrences: int) -> ReportLine:
    line = ReportLine(
        category=Category.MATCHED,
        line_number=row.line_number,
        partner_booking_id=row.partner_booking_id,
        amount=row.amount,
        currency=row.currency,
        paid_at=row.paid_at,
        paid_date_only=row.paid_date_only,
        partner_status=row.status,
    )
    if booking:
        line.booking_id = booking["id"]
        line.expected_amount = booking["amount"]
        line.expected_currency = booking["currency"]
    if occurrences > 1:
        line.category, line.note = (
            Category.DUPLICATE,
            _("This id is on %(count)d rows of the file.") % {"count": occurrences},
        )
    elif booking is None:
        line.category = Category.UNKNOWN
    elif booking["status"] == Status.RECONCILED:
        line.category = Category.ALREADY_RECONCILED
        if booking["settlement_import_id"]:
            line.note = _("Reconciled by settlement import #%(import)s.") % {"import": booking["settlement_import_id"]}
    elif booking["status"] not in RECONCILABLE:
        line.category = Category.UNKNOWN
        line.note = _("The portal booking %(booking)s is %(status)s.") % {
            "booking": booking["reference"] or booking["id"],
            "status": Status(booking["status"]).label.lower(),
        }
    elif row.currency != booking["currency"]:
        line.category = Category.CURRENCY_MISMATCH
    elif booking["amount"] is None or row.amount != booking["amount"]:
        line.category = Category.AMOUNT_MISMATCH
    return line


def _missing_cutoff(rows: list[SettlementRow]) -> datetime:
    """The start of the day after the last payment in the file (portal time zone)."""
    last_day = timezone.localtime(max(row.paid_at for row in rows)).date()
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))


def _missing_lines(partner: Partner, cutoff: datetime, seen: set[int]) -> list[ReportLine]:
    booked = (
        Booking.objects.filter(partner=partner, status__in=RECONCILABLE, created_at__lt=cutoff)
        .order_by("created_at", "id")
        .values_list("id", "upstream_booking_id", "reference", "amount", "currency")
    )
    return [
        ReportLine(
            category=Category.MISSING,
            partner_booking_id=upstream_id,
            booking_id=pk,
            expected_amount=amount,
            expected_currency=currency,
            note=""
            if upstream_id
            else _("Portal booking %(booking)s has no partner booking id.") % {"booking": reference},
        )
        for pk, upstream_id, reference, amount, currency in booked.iterator(chunk_size=2000)
        if pk not in seen
    ]


def _summary(rows: list[SettlementRow], lines: list[ReportLine], cutoff: datetime) -> dict:
    counts = Counter(line.category for line in lines)
    file_totals: dict[str, Decimal] = defaultdict(Decimal)
    matched_totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.line_number is None or line.amount is None:  # only the file's rows count
            continue
        file_totals[line.currency] += line.amount
        if line.category == Category.MATCHED:
            matched_totals[line.currency] += line.amount
    return {
        "rows": len(rows),
        "counts": {category.value: counts.get(category.value, 0) for category in Category},
        "file_totals": _as_text(file_totals),
        "matched_totals": _as_text(matched_totals),
        "first_paid_at": timezone.localtime(min(row.paid_at for row in rows)).isoformat(),
        "last_paid_at": timezone.localtime(max(row.paid_at for row in rows)).isoformat(),
        "missing_cutoff": cutoff.isoformat(),
    }


def _as_text(totals: dict[str, Decimal]) -> dict[str, str]:
    return {currency: str(total.quantize(_CENTS)) for currency, total in sorted(totals.items())}
