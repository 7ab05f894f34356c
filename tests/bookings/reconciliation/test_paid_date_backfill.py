"""Migration 0010: lines imported before paid_date_only existed are marked from the stored file."""

import importlib

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from bookings.models import SettlementLine
from bookings.services.reconciliation import settlement_import_create
from tests.factories import get_partner, make_booking

pytestmark = pytest.mark.django_db
migration = importlib.import_module("bookings.migrations.0010_settlement_lines_paid_date_only_backfill")


def test_date_only_lines_are_read_from_the_file():
    content = b"\xef\xbb\xbfAmount,PAID_AT,partner_booking_id,currency\r\n1,2026-04-28,A,SAR\r\n2,2026-04-28T09:30:00+03:00,B,SAR\r\n"
    assert migration.date_only_lines(content) == [2]
    assert migration.date_only_lines(b"\xff\xfe") == []


def test_backfill_marks_the_lines_of_earlier_imports(finance_user):
    make_booking(upstream_booking_id="SNR-1")
    text = (
        "partner_booking_id,amount,currency,paid_at\nSNR-1,90.00,SAR,2026-04-28\nSNR-2,9.00,SAR,2026-04-28T10:00:00Z\n"
    )
    settlement, _ = settlement_import_create(
        partner=get_partner(), uploaded_file=SimpleUploadedFile("s.csv", text.encode()), actor=finance_user
    )
    SettlementLine.objects.update(paid_date_only=False)  # as imported before the column existed

    migration.backfill(apps, None)

    lines = dict(settlement.lines.exclude(line_number=None).values_list("line_number", "paid_date_only"))
    assert lines == {2: True, 3: False}
