"""settlement_line_resolve: finance's decision on a line that did not match."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bookings.models import SettlementLine
from bookings.reconciliation.parsing import TEMPLATE_HEADER
from bookings.services.reconciliation import settlement_import_create, settlement_line_resolve
from tests.factories import get_partner, make_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(finance_user):
    make_booking(upstream_booking_id="SNR-1", amount="90.00")
    make_booking(upstream_booking_id="SNR-2", amount="90.00")
    text = TEMPLATE_HEADER + "\nSNR-1,90.00,SAR,2026-04-28,\nSNR-2,99.00,SAR,2026-04-28,\n"
    settlement, _ = settlement_import_create(
        partner=get_partner(), uploaded_file=SimpleUploadedFile("s.csv", text.encode()), actor=finance_user
    )
    return {line.category: line for line in settlement.lines.all()}


def test_explained_needs_a_note(lines, finance_user):
    line = lines[SettlementLine.Category.AMOUNT_MISMATCH]
    with pytest.raises(ValidationError) as caught:
        settlement_line_resolve(line_id=line.pk, resolution="explained", note=" ", actor=finance_user)
    assert "note" in caught.value.message_dict
    resolved = settlement_line_resolve(line_id=line.pk, resolution="explained", note=" CN-7 ", actor=finance_user)
    assert (resolved.resolution, resolved.resolution_note, resolved.resolved_by) == ("explained", "CN-7", finance_user)
    assert resolved.resolved_at is not None


def test_unknown_decision_and_matched_lines_are_refused(lines, finance_user):
    mismatch, matched = lines[SettlementLine.Category.AMOUNT_MISMATCH], lines[SettlementLine.Category.MATCHED]
    with pytest.raises(ValidationError):
        settlement_line_resolve(line_id=mismatch.pk, resolution="ignored", note="", actor=finance_user)
    with pytest.raises(ValidationError):
        settlement_line_resolve(line_id=matched.pk, resolution="disputed", note="", actor=finance_user)
    matched.refresh_from_db()
    assert matched.resolution == ""


def test_reopening_clears_who_and_when(lines, finance_user):
    line = lines[SettlementLine.Category.AMOUNT_MISMATCH]
    settlement_line_resolve(line_id=line.pk, resolution="disputed", note="asked Sanar", actor=finance_user)
    reopened = settlement_line_resolve(line_id=line.pk, resolution="", note="ignored", actor=finance_user)
    assert (reopened.resolution, reopened.resolution_note, reopened.resolved_by, reopened.resolved_at) == (
        "",
        "",
        None,
        None,
    )
