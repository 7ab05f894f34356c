"""The bookings CSV export: streamed a few hundred rows at a time, so its memory stays flat whatever the row count.

PostgreSQL writes every cell's text (the ``CellText`` columns below), on a core of its own, and
Python only joins cells into lines: formatting cells in Python was most of the export's time.
Columns are documented in docs/finance.md; keep the two in step.
"""

import csv
import io
from collections.abc import Iterator
from itertools import islice

from django.db.models import F, Func, QuerySet, TextField
from django.http import StreamingHttpResponse
from django.utils import timezone

from bookings import selectors
from bookings.states import BOOKED

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CellText(Func):
    """A column as the text of its CSV cell, written by PostgreSQL (``postgresql``)."""

    output_field = TextField()

    def __init__(self, column: str, zone: str):
        super().__init__(F(column))
        self.zone = zone  # the export's time zone

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        if params:
            raise ValueError(f"{type(self).__name__} takes a column")
        sql = self.postgresql(column)
        return sql, (self.zone,) * sql.count("%s")

    def postgresql(self, column: str) -> str:
        raise NotImplementedError


class SafeText(CellText):
    """Text, with a leading ``'`` when it would start a spreadsheet formula."""

    def postgresql(self, column):
        starts = ", ".join(f"chr({ord(start)})" for start in FORMULA_STARTS)
        return f"CASE WHEN left({column}, 1) IN ({starts}) THEN chr(39) || {column} ELSE {column} END"


class IsoDate(CellText):
    def postgresql(self, column):
        return f"to_char({column}, 'YYYY-MM-DD')"


class LocalIsoDate(CellText):
    """A timestamp's date in the export's time zone: ``YYYY-MM-DD``."""

    def postgresql(self, column):
        return f"to_char(({column} AT TIME ZONE %s), 'YYYY-MM-DD')"


class PlainAmount(CellText):
    """The amount's digits as stored (``90.00``), never in exponent form."""

    def postgresql(self, column):
        return f"{column}::text"


class BookedWithPartner(CellText):
    """``yes`` when the status is one the partner has (``states.BOOKED``), the bookings the totals add up."""

    def postgresql(self, column):
        booked = ", ".join(f"'{status}'" for status in BOOKED)  # our own constants, never user input
        return f"CASE WHEN {column} IN ({booked}) THEN 'yes' ELSE 'no' END"


class YesNo(CellText):
    """A boolean column as ``yes`` / ``no``, like ``booked_with_partner``."""

    def postgresql(self, column):
        return f"CASE WHEN {column} THEN 'yes' ELSE 'no' END"


class LocalIsoTime(CellText):
    """A timestamp as ``datetime.isoformat()`` in the export's time zone: ``YYYY-MM-DDTHH:MM:SS[.ffffff]+HH:MM``."""

    def postgresql(self, column):
        local = f"({column} AT TIME ZONE %s)"
        offset = f"({local} - ({column} AT TIME ZONE 'UTC'))"
        fraction = f"CASE WHEN extract(microseconds FROM {column})::int %% 1000000 = 0 THEN '' ELSE to_char({column}, '.US') END"
        sign = f"CASE WHEN {offset} < interval '0' THEN '' ELSE '+' END"
        return f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || {fraction} || {sign} || to_char({offset}, 'HH24:MI')"


# (column header, queryset field, how its cell is written: None for as it is, None as "").
COLUMNS: tuple[tuple[str, str, type[CellText] | None], ...] = (
    ("booking_id", "id", None),
    ("reference", "reference", None),
    ("partner", "partner__code", None),
    ("partner_name", "partner__name", None),
    ("status", "status", None),
    ("booked_with_partner", "status", BookedWithPartner),
    ("created_at", "created_at", LocalIsoTime),
    ("status_changed_at", "status_changed_at", LocalIsoTime),
    ("appointment_date", "appointment_date", IsoDate),
    ("appointment_time", "appointment_time", None),
    ("patient_name", "patient_name", SafeText),
    ("guardian_name", "guardian_name", SafeText),
    ("mobile", "mobile", None),
    ("email", "email", SafeText),
    ("amount", "amount", PlainAmount),
    ("currency", "currency", None),
    ("quoted_amount", "quoted_amount", PlainAmount),
    ("quoted_currency", "quoted_currency", None),
    ("price_changed", "price_changed", YesNo),
    ("partner_booking_id", "upstream_booking_id", SafeText),
    ("created_by", "created_by__username", SafeText),
    ("settlement_import_id", "settlement_import_id", None),
)
HEADER = tuple(column for column, _, _ in COLUMNS)
# Lines handed to the response at a time: one chunk per line made the response's own
# per-chunk work cost as much as writing the line.
LINES_PER_CHUNK = 500


def export_chunks(queryset: QuerySet) -> Iterator[str]:
    """The bookings CSV: the header, then ``LINES_PER_CHUNK`` lines at a time."""
    zone = timezone.get_current_timezone_name()
    cells = tuple(cell(field, zone) if cell else field for _, field, cell in COLUMNS)
    return csv_chunks(HEADER, selectors.booking_export_rows(queryset, cells))


def csv_chunks(header: tuple[str, ...], rows: Iterator[tuple]) -> Iterator[str]:
    """A CSV of ``rows`` under ``header``, ``LINES_PER_CHUNK`` lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    while chunk := list(islice(rows, LINES_PER_CHUNK)):
        writer.writerows(chunk)
        yield _take(buffer)
    if buffer.tell():
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def bookings_csv_response(queryset: QuerySet) -> StreamingHttpResponse:
    filename = f"bookings-{timezone.localtime():%Y%m%d-%H%M}.csv"
    return csv_response(export_chunks(queryset), filename)


def csv_response(chunks: Iterator[str], filename: str) -> StreamingHttpResponse:
    # Bytes: for a str chunk, Django would look for the charset in Content-Type every time.
    encoded = (chunk.encode("utf-8") for chunk in chunks)
    response = StreamingHttpResponse(encoded, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
