"""The settlement report: partner chosen, nothing matched, decisions on lines, export, dates, plurals."""

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.formats import date_format
from rest_framework.test import APIClient

from bookings.models import SettlementImport, SettlementLine
from bookings.reconciliation.parsing import TEMPLATE_HEADER
from bookings.reconciliation.report_export import HEADER as REPORT_HEADER
from bookings.states import Status
from partners.models import Partner
from tests.factories import get_partner, make_booking

pytestmark = pytest.mark.django_db
LIST = reverse("bookings:settlements")
HEADER = TEMPLATE_HEADER + "\n"
APRIL_1 = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def finance(client, finance_user):
    client.force_login(finance_user)
    return client


def upload(client, text: str, partner=Partner.Code.SANAR_VIDEO):
    data = {"file": SimpleUploadedFile("april.csv", text.encode(), content_type="text/csv")}
    if partner:
        data["partner"] = get_partner(partner).pk
    return client.post(LIST, data)


def report_url(settlement):
    return reverse("bookings:settlement", args=[settlement.pk])


def test_the_partner_must_be_chosen(finance):
    form = finance.get(LIST).content.decode()
    assert '<option value="" selected>Choose the partner who sent the file</option>' in form
    response = upload(finance, HEADER + "SNR-1,90.00,SAR,2026-04-28,paid\n", partner=None)
    assert response.status_code == 400
    assert response.context["form"].errors["partner"] == ["Choose the partner who sent this file."]
    assert 'id="field-partner"' in response.content.decode()
    assert "Choose the file again after choosing the partner" in response.content.decode()
    assert not SettlementImport.objects.exists()


def test_a_report_with_nothing_matched_says_why_and_offers_no_confirm(finance):
    vaccination = get_partner(Partner.Code.SANAR_VACCINATION)
    for n in (1, 2):
        make_booking(partner=vaccination, upstream_booking_id=f"VAC-{n}")
    upload(finance, HEADER + "VAC-1,90.00,SAR,2026-04-28,paid\nVAC-2,90.00,SAR,2026-04-28,paid\n")
    settlement = SettlementImport.objects.get()

    response = finance.get(report_url(settlement))

    body = response.content.decode()
    assert "Nothing in this file matched a Sanar video consultation booking" in body
    assert "2 ids in the file are Sanar kids vaccination bookings." in body
    assert reverse("bookings:settlement-confirm", args=[settlement.pk]) not in body
    assert "Confirm:" not in body
    assert response.context["recheck_form"]["partner"].initial == vaccination  # the likely partner, preselected

    refused = finance.post(reverse("bookings:settlement-confirm", args=[settlement.pk]), follow=True)
    assert "there is nothing to confirm" in refused.content.decode()
    settlement.refresh_from_db()
    assert settlement.state == SettlementImport.State.VALIDATED

    rechecked = finance.post(reverse("bookings:settlement-recheck", args=[settlement.pk]), {"partner": vaccination.pk})
    again = SettlementImport.objects.exclude(pk=settlement.pk).get()
    assert rechecked.url == report_url(again)
    assert (again.partner, again.matched_count, again.content) == (vaccination, 2, settlement.content)
    page = finance.get(report_url(again)).content.decode()
    assert "Confirm: mark the 2 matched bookings reconciled" in page


def test_the_api_refuses_to_confirm_an_import_that_matched_nothing(finance, finance_user):
    upload(finance, HEADER + "NOPE-1,90.00,SAR,2026-04-28,paid\n")
    settlement = SettlementImport.objects.get()
    api = APIClient()
    api.force_authenticate(finance_user)
    response = api.post(reverse("api:settlement-confirm", args=[settlement.pk]))
    assert response.status_code == 400
    assert "nothing to confirm" in str(response.json())


def test_plurals_in_the_confirm_button_and_message(finance):
    make_booking(upstream_booking_id="SNR-1", amount="90.00")
    upload(finance, HEADER + "SNR-1,90.00,SAR,2026-04-28,paid\n")
    settlement = SettlementImport.objects.get()
    body = finance.get(report_url(settlement)).content.decode()
    assert "Confirm: mark the 1 matched booking reconciled" in body and "(1 row," in body
    done = finance.post(reverse("bookings:settlement-confirm", args=[settlement.pk]), follow=True).content.decode()
    assert "1 booking reconciled." in done and "booking(s)" not in done


def test_date_only_payments_are_shown_as_dates(finance):
    make_booking(upstream_booking_id="SNR-1", amount="90.00")
    make_booking(upstream_booking_id="SNR-2", amount="90.00")
    upload(finance, HEADER + "SNR-1,90.00,SAR,2026-04-28,paid\nSNR-2,90.00,SAR,2026-04-28T09:30:00+03:00,paid\n")
    settlement = SettlementImport.objects.get()
    body = finance.get(report_url(settlement)).content.decode()
    table = body.split('id="report-lines"', 1)[1]
    day = date_format(datetime.date(2026, 4, 28), "SHORT_DATE_FORMAT")
    assert f'<time datetime="2026-04-28">{day}</time>' in table  # the date alone, in the portal's format
    assert '<time datetime="2026-04-28T09:30:00+03:00">' in table
    assert "00:00" not in table


def amount_mismatch(finance):
    make_booking(upstream_booking_id="SNR-1", amount="90.00")
    upload(finance, HEADER + "SNR-1,120.50,SAR,2026-04-28,paid\n")
    settlement = SettlementImport.objects.get()
    return settlement, settlement.lines.get(category=SettlementLine.Category.AMOUNT_MISMATCH)


def test_a_mismatched_line_is_explained_with_a_note_and_errors_stay_next_to_the_field(finance):
    settlement, line = amount_mismatch(finance)
    report = report_url(settlement) + "?category=amount_mismatch"
    assert (
        "Open again"
        not in finance.get(reverse("bookings:settlement-line", args=[settlement.pk, line.pk])).content.decode()
    )
    assert reverse("bookings:settlement-line", args=[settlement.pk, line.pk]) in finance.get(report).content.decode()
    url = reverse("bookings:settlement-line", args=[settlement.pk, line.pk])

    missing_note = finance.post(url, {"resolution": "explained", "note": "  ", "next": report})

    assert missing_note.status_code == 400
    assert missing_note.context["form"].errors["note"][0].startswith("Say what explains the difference")
    assert re.search(r'value="explained"[^>]* checked', missing_note.content.decode())
    saved = finance.post(url, {"resolution": "explained", "note": "Credit note CN-7 for 30.50", "next": report})
    assert saved.status_code == 302 and saved.url == report
    line.refresh_from_db()
    assert (line.resolution, line.resolution_note, line.resolved_by.username) == (
        "explained",
        "Credit note CN-7 for 30.50",
        "fin",
    )
    page = finance.get(report).content.decode()
    assert "Explained" in page and "Credit note CN-7 for 30.50" in page


def test_a_line_can_be_disputed_without_a_note_and_opened_again(finance):
    settlement, line = amount_mismatch(finance)
    url = reverse("bookings:settlement-line", args=[settlement.pk, line.pk])
    assert finance.post(url, {"resolution": "disputed"}).url == report_url(settlement)
    line.refresh_from_db()
    assert line.resolution == SettlementLine.Resolution.DISPUTED
    assert "Open again (no decision)" in finance.get(url).content.decode()
    finance.post(url, {"resolution": ""})
    line.refresh_from_db()
    assert (line.resolution, line.resolved_by, line.resolved_at) == ("", None, None)


def test_an_outside_next_is_ignored(finance):
    settlement, line = amount_mismatch(finance)
    url = reverse("bookings:settlement-line", args=[settlement.pk, line.pk])
    response = finance.post(url, {"resolution": "disputed", "next": "https://evil.example/"})
    assert response.url == report_url(settlement)


def test_a_matched_line_takes_no_decision(finance):
    make_booking(upstream_booking_id="SNR-1", amount="90.00")
    upload(finance, HEADER + "SNR-1,90.00,SAR,2026-04-28,paid\n")
    settlement = SettlementImport.objects.get()
    line = settlement.lines.get()
    url = reverse("bookings:settlement-line", args=[settlement.pk, line.pk])
    assert finance.post(url, {"resolution": "disputed"}).context["form"] is None
    line.refresh_from_db()
    assert line.resolution == ""


def test_the_report_exports_every_line_with_its_decision(finance):
    make_booking(upstream_booking_id="SNR-1", amount="90.00")
    missing = make_booking(
        upstream_booking_id="SNR-9", amount="40.00", status=Status.AWAITING_PAYMENT, created_at=APRIL_1
    )
    upload(
        finance,
        HEADER + "SNR-1,120.50,SAR,2026-04-28,paid\n=HYPERLINK(1),5.00,SAR,2026-04-28T09:30:00+03:00,paid\n",
    )
    settlement = SettlementImport.objects.get()
    line = settlement.lines.get(line_number=2)
    finance.post(reverse("bookings:settlement-line", args=[settlement.pk, line.pk]), {"resolution": "disputed"})

    response = finance.get(reverse("bookings:settlement-export", args=[settlement.pk]))

    assert response["Content-Disposition"] == f'attachment; filename="settlement-{settlement.pk}-report.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert tuple(rows[0]) == REPORT_HEADER
    by_line = {row["line"]: row for row in rows}
    assert by_line["2"]["category"] == "amount_mismatch"
    assert (by_line["2"]["amount"], by_line["2"]["portal_amount"]) == ("120.50", "90.00")
    assert by_line["2"]["paid_at"] == "2026-04-28"
    assert (by_line["2"]["resolution"], by_line["2"]["resolved_by"]) == ("disputed", "fin")
    assert by_line["3"]["paid_at"] == "2026-04-28T09:30:00+03:00"
    assert by_line["3"]["partner_booking_id"] == "'=HYPERLINK(1)"
    assert by_line[""]["booking_reference"] == missing.reference and by_line[""]["category"] == "missing"
