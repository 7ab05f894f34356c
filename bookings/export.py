"""The bookings CSV export: streamed row by row, so its memory stays flat whatever the row count.

Columns are documented in docs/finance.md; keep the two in step.
"""

import csv
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from bookings import selectors


def _text(value) -> str:
    text = value or ""
    # A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _plain(value) -> str:
    return "" if value is None else str(value)


def _datetime(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _amount(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


# (column header, queryset field, formatter)
COLUMNS: tuple[tuple[str, str, Callable], ...] = (
    ("booking_id", "id", _plain),
    ("reference", "reference", _plain),
    ("partner", "partner__code", _plain),
    ("partner_name", "partner__name", _plain),
    ("status", "status", _plain),
    ("created_at", "created_at", _datetime),
    ("status_changed_at", "status_changed_at", _datetime),
    ("appointment_date", "appointment_date", _date),
    ("appointment_time", "appointment_time", _plain),
    ("patient_name", "patient_name", _text),
    ("guardian_name", "guardian_name", _text),
    ("mobile", "mobile", _plain),
    ("email", "email", _text),
    ("amount", "amount", _amount),
    ("currency", "currency", _plain),
    ("partner_booking_id", "upstream_booking_id", _text),
    ("created_by", "created_by__username", _text),
    ("settlement_import_id", "settlement_import_id", _plain),
)
HEADER = tuple(column for column, _, _ in COLUMNS)
FIELDS = tuple(field for _, field, _ in COLUMNS)


class _Echo:
    """A file-like object whose ``write`` hands the line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def export_lines(queryset: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    formatters = [formatter for _, _, formatter in COLUMNS]
    yield writer.writerow(HEADER)
    for row in selectors.booking_export_rows(queryset, FIELDS):
        yield writer.writerow([formatter(value) for formatter, value in zip(formatters, row, strict=True)])


def bookings_csv_response(queryset: QuerySet) -> StreamingHttpResponse:
    filename = f"bookings-{timezone.localtime():%Y%m%d-%H%M}.csv"
    response = StreamingHttpResponse(export_lines(queryset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
