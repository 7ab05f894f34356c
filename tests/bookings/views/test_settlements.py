"""The settlement pages: upload, errors by line, report, confirm, template, original file."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bookings.models import Booking, SettlementImport
from bookings.reconciliation.parsing import TEMPLATE_HEADER
from bookings.states import Status
from partners.models import Partner
from tests.factories import make_booking

pytestmark = pytest.mark.django_db
LIST = reverse("bookings:settlements")
HEADER = TEMPLATE_HEADER + "\n"


@pytest.fixture
def finance(client, finance_user):
    client.force_login(finance_user)
    return client


def post_file(client, text: str, partner=Partner.Code.SANAR_VIDEO, name="april.csv"):
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(LIST, {"partner": partner_pk(partner), "file": upload})


def partner_pk(code):
    return Partner.objects.get(code=code).pk


def test_upload_shows_the_report_then_confirm_reconciles(finance):
    matched = make_booking(upstream_booking_id="SNR-1", amount="90.00")
    make_booking(upstream_booking_id="SNR-2", amount="50.00")
    response = post_file(finance, HEADER + "SNR-1,90.00,SAR,2026-04-28,paid\nSNR-2,55.00,SAR,2026-04-28,paid\n")

    settlement = SettlementImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("bookings:settlement", args=[settlement.pk])
    report = finance.get(response.url)
    body = report.content.decode()
    assert "Amount mismatch" in body and "Confirm: mark the 1 matched booking reconciled" in body
    mismatches = finance.get(response.url, {"category": "amount_mismatch"})
    assert [line.partner_booking_id for line in mismatches.context["page"]] == ["SNR-2"]

    confirmed = finance.post(reverse("bookings:settlement-confirm", args=[settlement.pk]), follow=True)
    assert "1 booking reconciled." in confirmed.content.decode()
    matched.refresh_from_db()
    assert (matched.status, matched.settlement_import_id) == (Status.RECONCILED, settlement.pk)
    detail = finance.get(reverse("bookings:detail", args=[matched.pk])).content.decode()
    assert reverse("bookings:settlement", args=[settlement.pk]) in detail


def test_uploading_the_same_file_again_says_so_and_changes_nothing(finance):
    make_booking(upstream_booking_id="SNR-1")
    text = HEADER + "SNR-1,90.00,SAR,2026-04-28,paid\n"
    post_file(finance, text)
    again = post_file(finance, text, name="copy.csv")
    assert SettlementImport.objects.count() == 1
    assert "already imported" in finance.get(again.url).content.decode()


def test_invalid_file_lists_every_bad_line_and_writes_nothing(finance):
    text = HEADER + "SNR-1,90,SAR,2026-04-28,\nSNR-2,9O.00,SAR,2026-04-28,\nSNR-3,90.00,SAR,April 28,\n"
    response = post_file(finance, text)
    assert response.status_code == 400
    errors = [(e.line_number, e.column) for e in response.context["file_errors"]]
    assert errors == [(3, "amount"), (4, "paid_at")]
    body = response.content.decode()
    assert "2 lines of the file are invalid. Nothing was imported" in body
    assert "“9O.00” is not a plain decimal amount" in body
    assert not SettlementImport.objects.exists()


def test_empty_and_oversized_files_are_refused(finance, settings):
    assert "The file is empty." in post_file(finance, "").content.decode()
    settings.SETTLEMENT_MAX_FILE_BYTES = 100
    response = post_file(finance, HEADER + "SNR-1,90.00,SAR,2026-04-28,\n" * 10)
    assert response.status_code == 400 and "the limit is 100 bytes" in response.content.decode()
    assert not SettlementImport.objects.exists()


def test_template_download_is_the_header(finance):
    response = finance.get(reverse("bookings:settlement-template"))
    assert response["Content-Disposition"] == 'attachment; filename="settlement-template.csv"'
    assert next(csv.reader(io.StringIO(response.content.decode()))) == TEMPLATE_HEADER.split(",")


def test_original_file_download_and_imports_list(finance):
    make_booking(upstream_booking_id="SNR-1")
    text = HEADER + "SNR-1,90.00,SAR,2026-04-28,paid\n"
    post_file(finance, text)
    settlement = SettlementImport.objects.get()
    assert finance.get(reverse("bookings:settlement-file", args=[settlement.pk])).content == text.encode()
    listing = finance.get(LIST).content.decode()
    assert "april.csv" in listing and reverse("bookings:settlement", args=[settlement.pk]) in listing


def test_unknown_category_is_404(finance):
    make_booking(upstream_booking_id="SNR-1")
    post_file(finance, HEADER + "SNR-1,90.00,SAR,2026-04-28,paid\n")
    url = reverse("bookings:settlement", args=[SettlementImport.objects.get().pk])
    assert finance.get(url, {"category": "nope"}).status_code == 404


def test_confirming_twice_is_harmless(finance):
    booking = make_booking(upstream_booking_id="SNR-1")
    post_file(finance, HEADER + "SNR-1,90.00,SAR,2026-04-28,paid\n")
    confirm = reverse("bookings:settlement-confirm", args=[SettlementImport.objects.get().pk])
    finance.post(confirm)
    second = finance.post(confirm, follow=True)
    assert "already confirmed" in second.content.decode()
    assert Booking.objects.get(pk=booking.pk).events.count() == 1


def test_a_20_mb_upload_is_refused_with_a_clear_error(finance):
    response = post_file(finance, HEADER + "SNR-1,90.00,SAR,2026-04-28,paid\n" * 700_000)
    assert response.status_code == 400
    assert "The file is 21.4 MB; the limit is 10 MB." in response.content.decode()
    assert not SettlementImport.objects.exists()
