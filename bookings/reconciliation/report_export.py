"""A settlement report as CSV: every line, its result and finance's decision (docs/finance.md).

Cells are written by PostgreSQL with the bookings export's cell types, so text from the
partner's file is made safe for spreadsheets the same way.
"""

from collections.abc import Iterator

from django.db.models import Case, F, When
from django.http import StreamingHttpResponse
from django.utils import timezone

from bookings import selectors
from bookings.export import LocalIsoDate, LocalIsoTime, PlainAmount, SafeText, csv_chunks, csv_response
from bookings.models import SettlementImport

# (column header, how its cell is read); a date-only payment is written as its date.
COLUMNS = (
    ("line", lambda zone: F("line_number")),
    ("category", lambda zone: F("category")),
    ("partner_booking_id", lambda zone: SafeText("partner_booking_id", zone)),
    ("booking_reference", lambda zone: F("booking__reference")),
    ("amount", lambda zone: PlainAmount("amount", zone)),
    ("currency", lambda zone: F("currency")),
    ("portal_amount", lambda zone: PlainAmount("expected_amount", zone)),
    ("portal_currency", lambda zone: F("expected_currency")),
    (
        "paid_at",
        lambda zone: Case(
            When(paid_date_only=True, then=LocalIsoDate("paid_at", zone)), default=LocalIsoTime("paid_at", zone)
        ),
    ),
    ("partner_status", lambda zone: SafeText("partner_status", zone)),
    ("note", lambda zone: SafeText("note", zone)),
    ("resolution", lambda zone: F("resolution")),
    ("resolution_note", lambda zone: SafeText("resolution_note", zone)),
    ("resolved_by", lambda zone: SafeText("resolved_by__username", zone)),
    ("resolved_at", lambda zone: LocalIsoTime("resolved_at", zone)),
)
HEADER = tuple(name for name, _ in COLUMNS)


def report_chunks(settlement: SettlementImport) -> Iterator[str]:
    zone = timezone.get_current_timezone_name()
    fields = tuple(cell(zone) for _, cell in COLUMNS)
    return csv_chunks(HEADER, selectors.settlement_report_rows(settlement, fields))


def report_csv_response(settlement: SettlementImport) -> StreamingHttpResponse:
    return csv_response(report_chunks(settlement), f"settlement-{settlement.pk}-report.csv")
