"""Reading a settlement CSV: every bad line listed with its number and reason."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bookings.reconciliation.parsing import (
    TEMPLATE_HEADER,
    SettlementFileError,
    parse_paid_at,
    parse_settlement_csv,
    read_upload,
)

SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "settlement-sample.csv"


def errors_of(content: bytes) -> list[tuple]:
    with pytest.raises(SettlementFileError) as caught:
        parse_settlement_csv(content)
    return [(error.line_number, error.column) for error in caught.value.errors]


def test_valid_file_with_optional_status_and_columns_in_any_order():
    content = (
        b"\xef\xbb\xbfCurrency,partner_booking_id,paid_at,amount,status\r\n"
        b"sar,SNR-1,2026-04-28,90.00,paid\r\n"
        b"\r\n"
        b'USD,"SNR-2",2026-04-28T09:30:00+03:00,5,\r\n'
    )
    first, second = parse_settlement_csv(content)
    assert (first.line_number, first.partner_booking_id, first.amount, first.currency) == (
        2,
        "SNR-1",
        Decimal("90.00"),
        "SAR",
    )
    assert first.status == "paid"
    assert first.paid_at.tzinfo is not None
    assert second.line_number == 4  # the blank line 3 is skipped but counted
    assert second.paid_at == datetime.datetime(2026, 4, 28, 6, 30, tzinfo=datetime.UTC)


def test_status_column_is_optional():
    rows = parse_settlement_csv(b"partner_booking_id,amount,currency,paid_at\nSNR-1,10,SAR,2026-04-01\n")
    assert rows[0].status == ""


def test_the_shipped_sample_and_template_are_valid():
    assert parse_settlement_csv(SAMPLE.read_bytes())
    assert TEMPLATE_HEADER == "partner_booking_id,amount,currency,paid_at,status"


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_file(content):
    with pytest.raises(SettlementFileError, match="The file is empty"):
        parse_settlement_csv(content)


def test_header_without_rows():
    with pytest.raises(SettlementFileError, match="header but no rows"):
        parse_settlement_csv(b"partner_booking_id,amount,currency,paid_at\n")


@pytest.mark.parametrize(
    "header, message",
    [
        (b"booking,amount,currency,paid_at", "Missing column: partner_booking_id. Unexpected column: booking."),
        (b"partner_booking_id,amount,paid_at", "Missing column: currency."),
        (b"partner_booking_id,amount,amount,currency,paid_at", "Column given twice: amount."),
        (b"partner_booking_id;amount;currency;paid_at", "separated by commas"),
    ],
)
def test_wrong_columns(header, message):
    with pytest.raises(SettlementFileError) as caught:
        parse_settlement_csv(header + b"\nSNR-1,1,SAR,2026-01-01\n")
    (error,) = caught.value.errors
    assert (error.line_number, error.column) == (1, "header")
    assert message in error.message
    assert "Expected the header partner_booking_id,amount,currency,paid_at,status" in error.message


def test_every_bad_line_is_listed_with_its_number_and_reason():
    content = (
        b"partner_booking_id,amount,currency,paid_at,status\n"
        b"SNR-1,90.00,SAR,2026-04-28,paid\n"  # line 2: fine
        b"SNR-2,SAR 90,SAR,2026-04-28,\n"  # 3: amount with a currency
        b"SNR-3,1,234.00,SAR,2026-04-28,paid\n"  # 4: a thousands separator splits the row
        b"SNR-4,-5.00,SAR,28/04/2026,\n"  # 5: negative amount and a non-ISO date
        b",90.001,RIYAL,2026-13-01,\n"  # 6: empty id, 3 decimals, bad currency, bad month
        b"SNR-7,90.00,SAR,2026-04-28T25:00,\n"  # 7: bad hour
    )
    assert errors_of(content) == [
        (3, "amount"),
        (4, "row"),
        (5, "amount"),
        (5, "paid_at"),
        (6, "partner_booking_id"),
        (6, "amount"),
        (6, "currency"),
        (6, "paid_at"),
        (7, "paid_at"),
    ]


def test_error_messages_are_clear():
    with pytest.raises(SettlementFileError) as caught:
        parse_settlement_csv(b"partner_booking_id,amount,currency,paid_at\nSNR-1,1.000,SAR,yesterday\n")
    messages = [str(error) for error in caught.value.errors]
    assert messages[0].startswith("Line 2, amount: “1.000” is not a plain decimal amount")
    assert messages[1].startswith("Line 2, paid_at: “yesterday” is not an ISO 8601 date or date-time")
    assert "1 line of the file is invalid. Nothing was imported" in caught.value.message


def test_non_utf8_file():
    with pytest.raises(SettlementFileError, match="not UTF-8"):
        parse_settlement_csv("partner_booking_id,amount,currency,paid_at\nSNR-é,1,SAR,2026-01-01\n".encode("latin-1"))


def test_unreadable_csv():
    content = b'partner_booking_id,amount,currency,paid_at\n"' + b"x" * 200_000 + b'",1,SAR,2026-01-01\n'
    with pytest.raises(SettlementFileError) as caught:
        parse_settlement_csv(content)
    (error,) = caught.value.errors
    assert error.column == "file" and error.message.startswith("Unreadable CSV")


def test_a_20_mb_file_is_refused_before_it_is_read():
    big = SimpleUploadedFile("big.csv", b"x" * (20 * 1024 * 1024), content_type="text/csv")
    with pytest.raises(SettlementFileError) as caught:
        read_upload(big)
    assert str(caught.value.errors[0]) == "file: The file is 20 MB; the limit is 10 MB."


def test_size_limit_holds_when_the_declared_size_is_wrong(settings):
    settings.SETTLEMENT_MAX_FILE_BYTES = 10
    upload = SimpleUploadedFile("f.csv", b"0123456789ABC")
    upload.size = 3
    with pytest.raises(SettlementFileError):
        read_upload(upload)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-04-28", datetime.datetime(2026, 4, 27, 21, 0, tzinfo=datetime.UTC)),  # midnight in Riyadh
        ("2026-04-28T10:00:00Z", datetime.datetime(2026, 4, 28, 10, 0, tzinfo=datetime.UTC)),
        ("2026-04-28 10:00", datetime.datetime(2026, 4, 28, 7, 0, tzinfo=datetime.UTC)),
        ("28-04-2026", None),
        ("2026", None),
    ],
)
def test_paid_at_formats(raw, expected):
    assert parse_paid_at(raw) == expected
