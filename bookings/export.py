"""The bookings CSV export: streamed row by row, so its memory stays flat whatever the row count.

Columns are documented in docs/finance.md; keep the two in step.
"""

import csv
from collections.abc import Callable, Iterator
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import partial

from django.db.models import Func, QuerySet, TextField
from django.http import StreamingHttpResponse
from django.utils import timezone

from bookings import selectors


def _text(value) -> str:
    text = value or ""
    # A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class UtcText(Func):
    """A timestamp as ISO 8601 text in UTC, ``YYYY-MM-DD HH:MM:SS[.ffffff]+00:00``, whatever the DateStyle.

    ``datetime.fromisoformat`` reads it in a fraction of the time psycopg's timestamptz loader
    takes (the one Django installs is pure Python): with two timestamps per row, that loader
    was most of the export's time.
    """

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        # SQLite keeps datetimes as UTC text in this format, without the offset.
        return super().as_sql(compiler, connection, template="(CAST(%(expressions)s AS TEXT) || '+00:00')", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US\"+00:00\"')"
        return super().as_sql(compiler, connection, template=template, **extra)


def _datetime(value: str | None, tz: tzinfo) -> str:
    """``value`` from ``UtcText``."""
    return datetime.fromisoformat(value).astimezone(tz).isoformat() if value else ""


def _date(value: date | None) -> str:
    return value.isoformat() if value else ""


def _amount(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


# (column header, queryset field, formatter); None: written as it is (the csv module writes None as "").
COLUMNS: tuple[tuple[str, str | Func, Callable | None], ...] = (
    ("booking_id", "id", None),
    ("reference", "reference", None),
    ("partner", "partner__code", None),
    ("partner_name", "partner__name", None),
    ("status", "status", None),
    ("created_at", UtcText("created_at"), _datetime),
    ("status_changed_at", UtcText("status_changed_at"), _datetime),
    ("appointment_date", "appointment_date", _date),
    ("appointment_time", "appointment_time", None),
    ("patient_name", "patient_name", _text),
    ("guardian_name", "guardian_name", _text),
    ("mobile", "mobile", None),
    ("email", "email", _text),
    ("amount", "amount", _amount),
    ("currency", "currency", None),
    ("partner_booking_id", "upstream_booking_id", _text),
    ("created_by", "created_by__username", _text),
    ("settlement_import_id", "settlement_import_id", None),
)
HEADER = tuple(column for column, _, _ in COLUMNS)
FIELDS = tuple(field for _, field, _ in COLUMNS)


class _Echo:
    """A file-like object whose ``write`` hands the line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def export_lines(queryset: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The time zone is looked up once: per row, that lookup cost as much as writing the line.
    local = timezone.get_current_timezone()
    formatters = [
        (index, partial(formatter, tz=local) if formatter is _datetime else formatter)
        for index, (_, _, formatter) in enumerate(COLUMNS)
        if formatter is not None
    ]
    yield writer.writerow(HEADER)
    for row in selectors.booking_export_rows(queryset, FIELDS):
        cells = list(row)
        for index, formatter in formatters:
            cells[index] = formatter(cells[index])
        yield writer.writerow(cells)


def bookings_csv_response(queryset: QuerySet) -> StreamingHttpResponse:
    filename = f"bookings-{timezone.localtime():%Y%m%d-%H%M}.csv"
    # Bytes: for a str chunk, Django finds the charset in Content-Type (a regex) once per line.
    lines = (line.encode("utf-8") for line in export_lines(queryset))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
