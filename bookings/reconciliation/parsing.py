"""Read and validate a partner's settlement CSV, the whole file before anything is written.

Format (docs/finance.md): UTF-8, comma separated, a header line with the columns
``partner_booking_id,amount,currency,paid_at`` and optionally ``status``, in any order.
Every problem of every line is collected, so finance can fix the file in one go.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

REQUIRED_COLUMNS = ("partner_booking_id", "amount", "currency", "paid_at")
OPTIONAL_COLUMNS = ("status",)
TEMPLATE_HEADER = ",".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024

_AMOUNT = re.compile(r"^\d{1,10}(\.\d{1,2})?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_ID_MAX_LENGTH = 64
_STATUS_MAX_LENGTH = 32
DATE_LENGTH = len("2026-04-28")


def max_file_bytes() -> int:
    return getattr(settings, "SETTLEMENT_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)


@dataclass(frozen=True)
class SettlementRow:
    line_number: int
    partner_booking_id: str
    amount: Decimal
    currency: str
    paid_at: datetime
    status: str = ""
    paid_date_only: bool = False  # the file gave a date without a time


@dataclass(frozen=True)
class RowError:
    line_number: int | None  # None: the error is about the whole file
    column: str
    message: str

    def __str__(self):
        where = (
            _("Line %(line)d, %(column)s") % {"line": self.line_number, "column": self.column}
            if self.line_number
            else self.column
        )
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line_number, "field": self.column, "message": self.message}


class SettlementFileError(Exception):
    """The file cannot be imported; ``errors`` lists every reason, by line."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(self.message)

    @property
    def message(self) -> str:
        lines = {error.line_number for error in self.errors if error.line_number}
        if not lines:
            return _("%(error)s Nothing was imported.") % {"error": self.errors[0]}
        return ngettext(
            "%(count)d line of the file is invalid. Nothing was imported; fix the file and upload it again.",
            "%(count)d lines of the file are invalid. Nothing was imported; fix the file and upload it again.",
            len(lines),
        ) % {"count": len(lines)}


def read_upload(uploaded_file) -> bytes:
    """The bytes of an uploaded file, refusing a file over the size limit before reading it."""
    limit = max_file_bytes()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise SettlementFileError([_too_big(size, limit)])
    content = uploaded_file.read(limit + 1)
    if len(content) > limit:
        raise SettlementFileError([_too_big(size or len(content), limit)])
    return content


def _too_big(size: int, limit: int) -> RowError:
    return RowError(
        None,
        "file",
        _("The file is %(size)s; the limit is %(limit)s.") % {"size": human_size(size), "limit": human_size(limit)},
    )


def human_size(size: int) -> str:
    if size < 1024:
        return ngettext("%(count)d byte", "%(count)d bytes", size) % {"count": size}
    unit, scale = ("MB", 1024 * 1024) if size >= 1024 * 1024 else ("KB", 1024)
    return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"


def parse_settlement_csv(content: bytes) -> list[SettlementRow]:
    """Every row of the file, or ``SettlementFileError`` listing all that is wrong with it."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SettlementFileError(
            [
                RowError(
                    None,
                    "file",
                    _("The file is not UTF-8 text (unreadable byte at position %(position)d).")
                    % {"position": exc.start},
                )
            ]
        ) from None
    if not text.strip():
        raise SettlementFileError([RowError(None, "file", _("The file is empty."))])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        columns = _read_header(next(reader))
        rows, errors = _read_rows(reader, columns)
    except csv.Error as exc:
        raise SettlementFileError(
            [RowError(reader.line_num, "file", _("Unreadable CSV: %(error)s.") % {"error": exc})]
        ) from None
    if errors:
        raise SettlementFileError(errors)
    if not rows:
        raise SettlementFileError([RowError(None, "file", _("The file has a header but no rows."))])
    return rows


def _read_header(header: list[str]) -> list[str]:
    columns = [name.strip().lower() for name in header]
    expected = _("Expected the header %(header)s (status is optional).") % {"header": TEMPLATE_HEADER}
    problems = []
    if len(columns) == 1 and ";" in columns[0]:
        problems.append(_("Columns must be separated by commas, not semicolons."))
    else:
        if missing := [name for name in REQUIRED_COLUMNS if name not in columns]:
            problems.append(
                _names(ngettext("Missing column: %(names)s.", "Missing columns: %(names)s.", len(missing)), missing)
            )
        if unexpected := [name or _("(empty)") for name in columns if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]:
            problems.append(
                _names(
                    ngettext("Unexpected column: %(names)s.", "Unexpected columns: %(names)s.", len(unexpected)),
                    unexpected,
                )
            )
        if duplicated := sorted({name for name in columns if columns.count(name) > 1}):
            problems.append(
                _names(
                    ngettext("Column given twice: %(names)s.", "Columns given twice: %(names)s.", len(duplicated)),
                    duplicated,
                )
            )
    if problems:
        raise SettlementFileError([RowError(1, "header", " ".join([*problems, expected]))])
    return columns


def _names(template: str, names: list[str]) -> str:
    return template % {"names": ", ".join(names)}


def _read_rows(reader, columns: list[str]) -> tuple[list[SettlementRow], list[RowError]]:
    rows, errors = [], []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) != len(columns):
            errors.append(
                RowError(
                    line,
                    "row",
                    _("Expected %(expected)d fields, found %(found)d.")
                    % {"expected": len(columns), "found": len(cells)},
                )
            )
            continue
        values = {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}
        row, row_errors = _parse_row(line, values)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    return rows, errors


def _parse_row(line: int, values: dict[str, str]) -> tuple[SettlementRow | None, list[RowError]]:
    errors = []
    booking_id = values["partner_booking_id"]
    if not booking_id:
        errors.append(RowError(line, "partner_booking_id", _("Empty; every row needs the partner's booking id.")))
    elif len(booking_id) > _ID_MAX_LENGTH:
        errors.append(
            RowError(line, "partner_booking_id", _("Longer than %(count)d characters.") % {"count": _ID_MAX_LENGTH})
        )
    amount = values["amount"]
    if not _AMOUNT.match(amount):
        errors.append(
            RowError(
                line,
                "amount",
                _(
                    "“%(amount)s” is not a plain decimal amount: use digits and a dot, e.g. 90.00 "
                    "(no currency sign, no thousands separator, at most 2 decimals)."
                )
                % {"amount": amount},
            )
        )
    currency = values["currency"].upper()
    if not _CURRENCY.match(currency):
        errors.append(
            RowError(
                line,
                "currency",
                _("“%(currency)s” is not a 3-letter ISO 4217 code such as SAR.") % {"currency": values["currency"]},
            )
        )
    paid_at = parse_paid_at(values["paid_at"])
    if paid_at is None:
        errors.append(
            RowError(
                line,
                "paid_at",
                _("“%(paid_at)s” is not an ISO 8601 date or date-time, e.g. 2026-04-28 or 2026-04-28T09:30:00+03:00.")
                % {"paid_at": values["paid_at"]},
            )
        )
    status = values.get("status", "")
    if len(status) > _STATUS_MAX_LENGTH:
        errors.append(RowError(line, "status", _("Longer than %(count)d characters.") % {"count": _STATUS_MAX_LENGTH}))
    if errors or paid_at is None:
        return None, errors
    date_only = len(values["paid_at"]) == DATE_LENGTH
    return SettlementRow(line, booking_id, Decimal(amount), currency, paid_at, status, date_only), []


def parse_paid_at(raw: str) -> datetime | None:
    """An aware datetime; a date alone is midnight, and a time without offset is portal time."""
    try:
        if len(raw) == DATE_LENGTH:
            parsed = datetime.combine(date.fromisoformat(raw), time.min)
        elif len(raw) > DATE_LENGTH:
            parsed = datetime.fromisoformat(raw)
        else:
            return None
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
