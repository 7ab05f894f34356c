"""The CSV export: content, filters, streaming with flat memory, finance only."""

import csv
import datetime
import io
import tracemalloc
from zoneinfo import ZoneInfo

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from bookings.export import HEADER
from bookings.states import BOOKED, Status
from partners.models import Partner
from tests.factories import get_partner, make_booking, make_bookings

pytestmark = pytest.mark.django_db
URL = reverse("bookings:export")


@pytest.fixture
def finance(client, finance_user):
    client.force_login(finance_user)
    return client


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_export_is_streamed_csv_with_documented_columns(finance, operations_user):
    created = datetime.datetime(2026, 4, 20, 6, 30, tzinfo=datetime.UTC)
    booking = make_booking(
        created_at=created,
        created_by=operations_user,
        amount="1234.50",
        currency="SAR",
        appointment_date=datetime.date(2026, 4, 28),
        appointment_time="09:00",
        upstream_booking_id="SNR-42",
    )
    response = finance.get(URL)

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="bookings-')
    rows = read_csv(response)
    assert tuple(rows[0]) == HEADER
    row = rows[0]
    assert row["reference"] == booking.reference
    assert row["partner"] == Partner.Code.SANAR_VIDEO
    assert row["amount"] == "1234.50"
    assert row["currency"] == "SAR"
    assert row["status"] == "awaiting_payment"
    assert row["booked_with_partner"] == "yes"
    # ISO 8601 with the offset, in the portal's time zone (Asia/Riyadh in these settings).
    assert row["created_at"] == created.astimezone(ZoneInfo("Asia/Riyadh")).isoformat()
    assert datetime.datetime.fromisoformat(row["created_at"]) == created
    assert row["appointment_date"] == "2026-04-28"
    assert row["partner_booking_id"] == "SNR-42"
    assert row["created_by"] == "ops"
    assert row["settlement_import_id"] == ""


def test_export_follows_the_list_filters(finance):
    make_booking(currency="SAR")
    wanted = make_booking(partner=get_partner(Partner.Code.SANDICARE), currency="MXN", amount="300")
    rows = read_csv(finance.get(URL, {"partner": Partner.Code.SANDICARE}))
    assert [row["reference"] for row in rows] == [wanted.reference]
    assert rows[0]["amount"] == "300.00"


@pytest.mark.parametrize("status, booked", [(status, "yes" if status in BOOKED else "no") for status in Status.values])
def test_booked_with_partner_marks_the_states_the_totals_add_up(finance, status, booked):
    make_booking(status=status)
    (row,) = read_csv(finance.get(URL))
    assert (row["status"], row["booked_with_partner"]) == (status, booked)


def test_empty_amount_and_formula_like_names_are_safe(finance):
    make_booking(status=Status.DRAFT, amount=None, currency="", patient_name='=HYPERLINK("x")')
    row = read_csv(finance.get(URL))[0]
    assert row["amount"] == ""
    assert row["patient_name"].startswith("'=")


def test_invalid_filter_is_a_400_with_the_field(finance):
    response = finance.get(URL, {"amount_min": "abc"})
    assert response.status_code == 400
    assert "amount_min" in response.content.decode()


def test_operations_cannot_export(client, operations_user):
    client.force_login(operations_user)
    assert client.get(URL).status_code == 403


def _stream_peak_memory(client) -> tuple[int, int]:
    """(lines streamed, peak bytes allocated while streaming)."""
    response = client.get(URL)
    assert isinstance(response, StreamingHttpResponse)
    tracemalloc.start()
    lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return lines, peak


def test_memory_stays_flat_while_streaming_many_rows(finance):
    """Rows are fetched 2,000 at a time: 2.5 times the rows, about the same peak memory."""
    make_bookings(4_000)
    lines, small_peak = _stream_peak_memory(finance)
    assert lines == 4_001  # the header, then each row
    make_bookings(6_000)
    lines, large_peak = _stream_peak_memory(finance)
    assert lines == 10_001
    assert large_peak < small_peak * 1.3, f"peak {small_peak} → {large_peak} bytes"


@pytest.mark.parametrize("zone", ["Asia/Riyadh", "UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"])
def test_timestamps_are_written_as_python_writes_them_in_the_portal_time_zone(finance, zone):
    """The database formats the timestamps; they must read exactly as ``isoformat()`` in the zone."""
    moments = [
        datetime.datetime(2026, 7, 1, 12, 0, 0, tzinfo=datetime.UTC),  # whole second
        datetime.datetime(2026, 1, 15, 3, 4, 5, 60, tzinfo=datetime.UTC),  # 60 µs: leading zeros
        datetime.datetime(2026, 11, 1, 23, 59, 59, 999999, tzinfo=datetime.UTC),
    ]
    for moment in moments:
        make_booking(created_at=moment)
    with timezone.override(zone):
        rows = read_csv(finance.get(URL, {"sort": "created"}))
    assert [row["created_at"] for row in rows] == [
        moment.astimezone(ZoneInfo(zone)).isoformat() for moment in sorted(moments)
    ]


def test_cells_are_formula_safe_plain_and_local(finance, operations_user):
    make_booking(
        patient_name="=HYPERLINK(1)",
        guardian_name="\tTabbed",
        email="+x@example.com",
        upstream_booking_id="-1",
        amount="1234567.80",
        appointment_date=datetime.date(2026, 1, 2),
        created_by=operations_user,
        created_at=datetime.datetime(2026, 3, 8, 7, 0, 0, 5, tzinfo=datetime.UTC),
    )
    make_booking(patient_name="", guardian_name="", amount=None, appointment_date=None, currency="")
    with timezone.override("America/New_York"):
        written, empty = read_csv(finance.get(URL, {"sort": "created"}))
    assert (written["patient_name"], written["guardian_name"]) == ("'=HYPERLINK(1)", "'\tTabbed")
    assert (written["email"], written["partner_booking_id"]) == ("'+x@example.com", "'-1")
    assert (written["amount"], written["appointment_date"]) == ("1234567.80", "2026-01-02")
    assert written["created_at"] == "2026-03-08T03:00:00.000005-04:00"  # the first second of summer time
    assert [empty[column] for column in ("patient_name", "guardian_name", "amount", "appointment_date")] == [""] * 4
