"""Settlement imports: every report category, confirmation, idempotency, nothing half-written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bookings.models import Booking, BookingEvent, SettlementImport, SettlementLine
from bookings.reconciliation.parsing import SettlementFileError
from bookings.services.reconciliation import (
    booking_mark_reconciled,
    settlement_import_confirm,
    settlement_import_create,
)
from bookings.services.transitions import TransitionNotAllowed
from bookings.states import Status
from partners.models import Partner
from tests.factories import days_ago, get_partner, make_booking

pytestmark = pytest.mark.django_db
C = SettlementLine.Category
HEADER = "partner_booking_id,amount,currency,paid_at,status\n"


def upload(text: str, name="settlement.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def categories(settlement) -> dict[str, str]:
    return dict(settlement.lines.values_list("partner_booking_id", "category"))


@pytest.fixture
def video():
    return get_partner(Partner.Code.SANAR_VIDEO)


@pytest.fixture
def bookings(video):
    """One booking per report category, plus bookings the report must leave alone."""
    today = datetime.date.today().isoformat()
    rows = {
        "matched": make_booking(upstream_booking_id="M-1", amount="90.00"),
        "amount": make_booking(upstream_booking_id="A-1", amount="90.00"),
        "currency": make_booking(upstream_booking_id="C-1", amount="90.00", currency="SAR"),
        "duplicate": make_booking(upstream_booking_id="D-1"),
        "reconciled": make_booking(upstream_booking_id="R-1", status=Status.RECONCILED),
        "cancelled": make_booking(upstream_booking_id="X-1", status=Status.CANCELLED),
        "missing": make_booking(upstream_booking_id="MISS-1", created_at=days_ago(3)),
        "by_reference": make_booking(partner=get_partner(Partner.Code.SANDICARE), status=Status.ENROLLED),
        "other_partner": make_booking(partner=get_partner(Partner.Code.SANDICARE), upstream_booking_id="M-2"),
        "after_period": make_booking(upstream_booking_id="LATE-1", created_at=days_ago(-2)),
    }
    text = HEADER + (
        f"M-1,90.00,SAR,{today},paid\n"
        f"A-1,80.00,SAR,{today},paid\n"
        f"C-1,90.00,USD,{today},paid\n"
        f"D-1,90.00,SAR,{today},paid\n"
        f"D-1,90.00,SAR,{today},paid\n"
        f"R-1,90.00,SAR,{today},paid\n"
        f"X-1,90.00,SAR,{today},paid\n"
        f"NEW-1,45.50,SAR,{today},paid\n"
        f"M-2,90.00,SAR,{today},paid\n"
    )
    return rows, text


def test_report_has_every_category(video, bookings, finance_user):
    rows, text = bookings
    settlement, created = settlement_import_create(partner=video, uploaded_file=upload(text), actor=finance_user)

    assert created and settlement.state == SettlementImport.State.VALIDATED
    assert categories(settlement) == {
        "M-1": C.MATCHED,
        "A-1": C.AMOUNT_MISMATCH,
        "C-1": C.CURRENCY_MISMATCH,
        "D-1": C.DUPLICATE,
        "R-1": C.ALREADY_RECONCILED,
        "X-1": C.UNKNOWN,  # cancelled on the portal: not a booking the partner should be paid for
        "NEW-1": C.UNKNOWN,
        "M-2": C.UNKNOWN,  # another partner's booking is not this partner's
        "MISS-1": C.MISSING,
    }
    assert settlement.summary["counts"] == {
        "matched": 1,
        "amount_mismatch": 1,
        "currency_mismatch": 1,
        "unknown": 3,
        "missing": 1,
        "duplicate": 2,
        "already_reconciled": 1,
    }
    assert settlement.summary["file_totals"] == {"SAR": "665.50", "USD": "90.00"}
    assert settlement.summary["matched_totals"] == {"SAR": "90.00"}
    amount_line = settlement.lines.get(partner_booking_id="A-1")
    assert (amount_line.line_number, str(amount_line.expected_amount), amount_line.booking_id) == (
        3,
        "90.00",
        rows["amount"].pk,
    )
    missing = settlement.lines.get(category=C.MISSING)
    assert missing.line_number is None and missing.booking_id == rows["missing"].pk
    assert "cancelled" in settlement.lines.get(partner_booking_id="X-1").note
    # Nothing changed on the bookings yet.
    assert Booking.objects.filter(status=Status.RECONCILED).count() == 1


def test_a_row_may_name_the_portal_reference(bookings, finance_user):
    rows, _ = bookings
    sandicare = rows["by_reference"]
    text = HEADER + f"{sandicare.reference},90.00,SAR,{datetime.date.today()},paid\n"
    settlement, _ = settlement_import_create(partner=sandicare.partner, uploaded_file=upload(text), actor=finance_user)
    line = settlement.lines.get(line_number=2)
    assert (line.category, line.booking_id) == (C.MATCHED, sandicare.pk)


def test_confirm_reconciles_the_matched_bookings_with_a_link_to_the_import(video, bookings, finance_user):
    rows, text = bookings
    settlement, _ = settlement_import_create(partner=video, uploaded_file=upload(text), actor=finance_user)
    settlement = settlement_import_confirm(import_id=settlement.pk, actor=finance_user)

    assert settlement.state == SettlementImport.State.CONFIRMED
    assert settlement.confirmed_by == finance_user and settlement.confirmed_at
    assert settlement.summary["confirmation"] == {"reconciled": 1, "skipped": []}
    matched = Booking.objects.get(pk=rows["matched"].pk)
    assert (matched.status, matched.settlement_import_id) == (Status.RECONCILED, settlement.pk)
    event = matched.events.get()
    assert (event.from_status, event.to_status, event.actor) == (
        Status.AWAITING_PAYMENT,
        Status.RECONCILED,
        finance_user,
    )
    assert event.reason_text == f"Settlement import #{settlement.pk}, line 2"
    for key in ("amount", "currency", "duplicate", "missing"):
        assert Booking.objects.get(pk=rows[key].pk).status == Status.AWAITING_PAYMENT


def test_reimporting_and_reconfirming_the_same_file_changes_nothing(video, bookings, finance_user, operations_user):
    _, text = bookings
    first, _ = settlement_import_create(partner=video, uploaded_file=upload(text), actor=finance_user)
    settlement_import_confirm(import_id=first.pk, actor=finance_user)
    counts = (SettlementImport.objects.count(), SettlementLine.objects.count(), BookingEvent.objects.count())

    again, created = settlement_import_create(
        partner=video, uploaded_file=upload(text, "renamed.csv"), actor=operations_user
    )
    assert not created and again.pk == first.pk and again.uploaded_by == finance_user
    settlement_import_confirm(import_id=first.pk, actor=operations_user)
    assert (SettlementImport.objects.count(), SettlementLine.objects.count(), BookingEvent.objects.count()) == counts
    assert SettlementImport.objects.get().confirmed_by == finance_user


def test_the_same_file_for_another_partner_is_another_import(bookings, finance_user):
    _, text = bookings
    settlement_import_create(
        partner=get_partner(Partner.Code.SANAR_VIDEO), uploaded_file=upload(text), actor=finance_user
    )
    _, created = settlement_import_create(
        partner=get_partner(Partner.Code.SANAR_VACCINATION), uploaded_file=upload(text), actor=finance_user
    )
    assert created


def test_a_booking_that_changed_after_the_report_is_skipped(video, finance_user):
    booking = make_booking(upstream_booking_id="M-1", amount="90.00")
    text = HEADER + f"M-1,90.00,SAR,{datetime.date.today()},\n"
    settlement, _ = settlement_import_create(partner=video, uploaded_file=upload(text), actor=finance_user)
    booking_mark_reconciled(booking_id=booking.pk, actor=finance_user, reason="Bank transfer 991")

    settlement = settlement_import_confirm(import_id=settlement.pk, actor=finance_user)
    assert settlement.summary["confirmation"]["reconciled"] == 0
    (skipped,) = settlement.summary["confirmation"]["skipped"]
    assert skipped["line"] == 2 and skipped["status"] == Status.RECONCILED
    assert Booking.objects.get(pk=booking.pk).settlement_import_id is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "booking,amount\nM-1,90\n",
        HEADER + "M-1,ninety,SAR,2026-04-28,\n",
        HEADER + "M-1,90.00,SAR,28/04/2026,\n",
        HEADER + "M-1,90.00,SAR,2026-04-28,\nM-2,90.00,SA,2026-04-28,\n",
    ],
    ids=["empty", "wrong-columns", "bad-amount", "bad-date", "one-bad-line-of-two"],
)
def test_an_invalid_file_writes_nothing(video, finance_user, text):
    booking = make_booking(upstream_booking_id="M-1")
    with pytest.raises(SettlementFileError):
        settlement_import_create(partner=video, uploaded_file=upload(text), actor=finance_user)
    assert not SettlementImport.objects.exists() and not SettlementLine.objects.exists()
    assert Booking.objects.get(pk=booking.pk).status == Status.AWAITING_PAYMENT


def test_a_20_mb_file_writes_nothing(video, finance_user):
    big = SimpleUploadedFile("big.csv", (HEADER + "M-1,90.00,SAR,2026-04-28,\n" * 810_000).encode())
    assert big.size > 20 * 1024 * 1024
    with pytest.raises(SettlementFileError, match="limit is 10 MB"):
        settlement_import_create(partner=video, uploaded_file=big, actor=finance_user)
    assert not SettlementImport.objects.exists()


def test_the_file_is_kept_byte_for_byte(video, finance_user):
    make_booking(upstream_booking_id="M-1")
    text = HEADER + "M-1,90.00,SAR,2026-04-28,\n"
    settlement, _ = settlement_import_create(partner=video, uploaded_file=upload(text, "april.csv"), actor=finance_user)
    stored = SettlementImport.objects.get(pk=settlement.pk)
    assert bytes(stored.content) == text.encode() and stored.file_name == "april.csv"
    assert len(stored.sha256) == 64 and stored.row_count == 1


def test_mark_reconciled_by_hand_needs_a_reason_and_a_booked_state(finance_user):
    booking = make_booking()
    with pytest.raises(ValidationError):
        booking_mark_reconciled(booking_id=booking.pk, actor=finance_user, reason="  ")
    booking_mark_reconciled(booking_id=booking.pk, actor=finance_user, reason="Bank transfer 991")
    assert booking.events.get().reason_text == "Marked reconciled: Bank transfer 991"
    with pytest.raises(TransitionNotAllowed):
        booking_mark_reconciled(booking_id=make_booking(status=Status.DRAFT).pk, actor=finance_user, reason="x")
