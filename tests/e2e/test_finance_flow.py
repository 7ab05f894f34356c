"""Finance in a real browser: filter the bookings, export them, reconcile a partner's settlement file.

The bookings are real: drafts sent to the partner simulator by the submit task, run in-process
(no worker). The settlement file is made from what the simulator booked, as the partner's would be.
Screenshots: test-artifacts/<test name>/.
"""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from bookings import tasks
from bookings.models import Booking, SettlementImport
from bookings.services import submission
from bookings.services.drafts import booking_create_draft, booking_update_selection
from bookings.states import Status
from bookings.templatetags.money import format_money
from partner_simulator import data, demo_keys
from partners.models import Credential, Partner

VIDEO_BOOK, VACCINATION_BOOK = "sanar_video.book", "sanar_vaccination.book"
DOCTORS = ("EMP86190", "EMP86212", "EMP86233", "EMP86258")  # SAR 90, 120, 150 and 200
PROVIDER, VACCINE = "PRV-RUH-01", "VAC-FLU"  # SAR 95.00
EXPORT_HEADER = [
    "booking_id",
    "reference",
    "partner",
    "partner_name",
    "status",
    "booked_with_partner",
    "created_at",
    "status_changed_at",
    "appointment_date",
    "appointment_time",
    "patient_name",
    "guardian_name",
    "mobile",
    "email",
    "amount",
    "currency",
    "quoted_amount",
    "quoted_currency",
    "price_changed",
    "partner_booking_id",
    "created_by",
    "settlement_import_id",
]


def sar(amount: str) -> str:
    """An amount as the pages show it (the money filter, English)."""
    return format_money(amount, "SAR")


def first_free_slot(owner_id: str, first_hour: int, day: datetime.date, today: datetime.date) -> dict:
    return next(slot for slot in data.schedule(owner_id, day, first_hour, today) if slot["available"])


def video_selection(doctor_id: str, day: datetime.date, today: datetime.date, number: int) -> dict:
    doctor = data.DOCTORS[doctor_id]
    slot = first_free_slot(doctor_id, data.DOCTOR_FIRST_HOUR[doctor_id], day, today)
    return {
        "speciality_id": doctor["spec_id"],
        "speciality_name": doctor["speciality"],
        "doctor_id": doctor_id,
        "doctor_name": doctor["name"],
        "appointment_date": day,
        "slot_id": slot["slot_id"],
        "appointment_time": slot["time"],
        "patient_name": f"سارة العلي {number}",
        "patient_gender": "Female",
        "patient_dob": datetime.date(1990, 1, 2),
        "mobile": f"+96650000000{number}",
        "email": f"patient.{number}@example.org",
    }


def vaccination_selection(day: datetime.date, today: datetime.date) -> dict:
    provider = data.PROVIDERS[PROVIDER]
    slot = first_free_slot(PROVIDER, provider["first_hour"], day, today)
    return {
        "service_ids": [VACCINE],
        "service_names": [data.PRODUCT_SERVICES[VACCINE]["name"]],
        "provider_id": PROVIDER,
        "provider_name": provider["name"],
        "appointment_date": day,
        "slot_id": slot["slot_id"],
        "appointment_time": slot["time"],
        "location": {"city": provider["city"], "lat": provider["lat"], "lng": provider["lng"]},
        "patient_name": "Omar Saleh",
        "patient_dob": datetime.date(2021, 3, 4),
        "patient_gender": "Male",
        "guardian_name": "Huda Saleh",
        "mobile": "+966500000009",
        "email": "guardian@example.org",
    }


def sim_amount(create: dict) -> tuple[str, str]:
    """(amount, currency) of a simulator booking: video says ``SAR 90``, vaccination ``95.00`` + ``SAR``."""
    if "currency" in create:
        return f"{Decimal(create['amount']):.2f}", create["currency"]
    currency, amount = create["amount"].split()
    return f"{Decimal(amount):.2f}", currency


@pytest.fixture
def booked(transactional_db, partner_simulator, roles_and_demo_users, monkeypatch):
    """Four video consultations and one vaccination, awaiting payment with the simulator's ids."""
    for code, vendor, name in [
        (Partner.Code.SANAR_VIDEO, Partner.Vendor.SANAR, "Sanar video consultation"),
        (Partner.Code.SANAR_VACCINATION, Partner.Vendor.SANAR, "Sanar kids vaccination"),
        (Partner.Code.SANDICARE, Partner.Vendor.SANDICARE, "Sandicare teleconsult enrollment"),
    ]:
        Partner.objects.get_or_create(code=code, defaults={"vendor": vendor, "name": name})
    for code, extra in [
        (Partner.Code.SANAR_VIDEO, {}),
        (Partner.Code.SANAR_VACCINATION, {"product_code": demo_keys.SANAR_PRODUCT_CODE}),
    ]:
        Credential.objects.create(
            partner=Partner.objects.get(code=code),
            environment=Credential.Environment.SANDBOX,
            base_url=partner_simulator.base_url(code),
            auth_token=demo_keys.SANAR_TOKEN,
            cmt_secret=demo_keys.SANAR_CMT_SECRET,
            **extra,
        )
    # The submit task runs here, in-process: nothing goes to the broker.
    monkeypatch.setattr(submission, "enqueue_send", lambda booking: None)
    staff = roles_and_demo_users["operations"][0]
    today = partner_simulator.state.today()
    day = today + datetime.timedelta(days=2)
    drafts = [(Partner.Code.SANAR_VIDEO, video_selection(d, day, today, n)) for n, d in enumerate(DOCTORS, 1)]
    drafts.append((Partner.Code.SANAR_VACCINATION, vaccination_selection(day, today)))
    bookings = []
    for code, selection in drafts:
        booking = booking_create_draft(partner_code=code, actor=staff)
        booking_update_selection(booking_id=booking.pk, actor=staff, **selection)
        submission.booking_submit(booking_id=booking.pk, actor=staff)
        assert tasks.send_booking.apply(args=[booking.pk]).get() == "done"
        booking.refresh_from_db()
        assert booking.status == Status.AWAITING_PAYMENT, booking.events.last().reason_text
        bookings.append(booking)
    return bookings


def table_rows(page, selector: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in page.locator(f"{selector} tbody tr").all()
    ]


def filter_bookings(page, *, partner: str | None, status: str):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Bookings").click()
    page.wait_for_url(re.compile(r"/bookings/$"))
    page.locator("#more-filters > summary").click()  # partner and statuses are folded behind "More filters"
    page.select_option("#id_partner", label=partner or "All partners")
    page.locator("#field-status").get_by_label(status, exact=True).check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"/bookings/\?.*status="))


def export_csv(page) -> tuple:
    """Click "Export CSV"; (the download, its bytes, its rows as dicts)."""
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    raw = Path(download.path()).read_bytes()
    return download, raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))


def upload_settlement(page, content: bytes):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Bookings").click()
    page.get_by_role("link", name="Settlement files").click()
    page.wait_for_url(re.compile(r"/settlements/$"))
    page.select_option("#id_partner", label="Sanar video consultation")
    page.set_input_files(
        "#id_file", files=[{"name": "sanar-video-settlement.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r"/settlements/\d+/$"))


def test_finance_filters_exports_and_reconciles_a_settlement_file(
    booked, partner_simulator, login, page, live_server, screenshot
):
    # What the partner booked, by portal reference: its booking id and the amount it charges.
    sim = {c["partner_reference"]: c for c in partner_simulator.creates(VIDEO_BOOK)}
    assert len(sim) == 4 and len(partner_simulator.creates(VACCINATION_BOOK)) == 1
    videos = [b for b in booked if b.partner.code == Partner.Code.SANAR_VIDEO]
    vaccination = booked[-1]
    for booking in videos:
        assert booking.upstream_booking_id == sim[booking.reference]["booking_id"]
        assert (f"{booking.amount:.2f}", booking.currency) == sim_amount(sim[booking.reference])
    paid_ok, mismatched, not_in_file = videos[:2], videos[2], videos[3]

    # 1. The bookings list, filtered on the partner and on awaiting payment.
    login("finance")
    filter_bookings(page, partner="Sanar video consultation", status="Awaiting payment")
    assert "partner=sanar_video" in page.url and "status=awaiting_payment" in page.url
    rows = table_rows(page, ".records-table")
    assert sorted(row[0] for row in rows) == sorted(b.reference for b in videos)
    assert vaccination.reference not in page.inner_text(".records-table")
    by_reference = {row[0]: row for row in rows}
    for booking in videos:
        row = by_reference[booking.reference]
        assert row[1] == "Sanar video consultation" and row[2] == "Awaiting payment"
        assert row[6] == "operations" and row[7] == booking.upstream_booking_id
        assert row[8] == sar(sim_amount(sim[booking.reference])[0])
    expect(page.locator("#totals-title")).to_have_text("Totals for the filtered list (4 bookings)")
    assert table_rows(page, ".records-totals") == [["Sanar video consultation", "SAR", "4", sar("560.00")]]
    screenshot("01-bookings-filtered")

    # 2. Export CSV with the same filters.
    download, raw, exported = export_csv(page)
    assert "partner=sanar_video" in download.url and "status=awaiting_payment" in download.url
    assert re.fullmatch(r"bookings-\d{8}-\d{4}\.csv", download.suggested_filename)
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == 5
    assert list(exported[0]) == EXPORT_HEADER
    assert sorted(row["reference"] for row in exported) == sorted(b.reference for b in videos)
    for row in exported:
        amount, currency = sim_amount(sim[row["reference"]])
        assert row["amount"] == amount and row["currency"] == currency == "SAR"
        assert row["partner"] == "sanar_video" and row["status"] == "awaiting_payment"
        assert row["partner_booking_id"] == sim[row["reference"]]["booking_id"]
        assert row["patient_name"].startswith("سارة العلي ") and row["created_by"] == "operations"
        assert row["settlement_import_id"] == ""

    # 3. The partner's settlement file: two paid right, one paid 5.00 short, one id the portal
    # never booked; the fourth booking is not in it.
    paid_on = timezone.localdate().isoformat()
    lines = ["partner_booking_id,amount,currency,paid_at,status"]
    for booking in paid_ok:
        amount, currency = sim_amount(sim[booking.reference])
        lines.append(f"{booking.upstream_booking_id},{amount},{currency},{paid_on}T10:30:00+03:00,paid")
    amount, currency = sim_amount(sim[mismatched.reference])
    lines.append(f"{mismatched.upstream_booking_id},{Decimal(amount) - 5:.2f},{currency},{paid_on},paid")
    lines.append(f"SNR-NOT-BOOKED-1,75.00,SAR,{paid_on},paid")
    settlement_csv = ("\r\n".join(lines) + "\r\n").encode()

    upload_settlement(page, settlement_csv)
    settlement = SettlementImport.objects.get()
    assert settlement.state == SettlementImport.State.VALIDATED
    screenshot("02-settlement-report")

    # 4. The report's numbers, as the page shows them.
    expect(page.locator("h1")).to_have_text(f"Settlement import #{settlement.pk} · Sanar video consultation")
    facts = page.locator(".record-facts")
    expect(facts.locator("dt:has-text('Amounts in the file') + dd")).to_have_text(sar("430.00"))
    expect(facts.locator("dt:has-text('Matched amounts') + dd")).to_have_text(sar("210.00"))
    paid_day = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    expect(facts.locator("dt:has-text('Payments') + dd")).to_have_text(f"{paid_day} to {paid_day}")
    expect(facts).to_contain_text("4 rows")
    tabs = {
        text.rsplit(" ", 1)[0].strip(): int(text.rsplit(" ", 1)[1])
        for text in page.locator("nav.settlement-tabs a:has(.badge)").all_inner_texts()
    }
    assert tabs == {
        "Matched": 2,
        "Amount mismatch": 1,
        "Currency mismatch": 0,
        "Paid but unknown to the portal": 1,
        "Booked but missing from the file": 1,
        "Duplicate in the file": 0,
        "Already reconciled": 0,
    }
    report = {row[1]: row for row in table_rows(page, "#report-lines")}
    assert len(report) == 5
    for booking in paid_ok:
        assert report[booking.upstream_booking_id][3] == report[booking.upstream_booking_id][4]
        assert report[booking.upstream_booking_id][7] == "Matched"
    assert report[mismatched.upstream_booking_id][3:5] == [sar("145.00"), sar("150.00")]
    assert report[mismatched.upstream_booking_id][7] == "Amount mismatch"
    assert report["SNR-NOT-BOOKED-1"][2] == "—" and report["SNR-NOT-BOOKED-1"][7] == "Paid but unknown to the portal"
    missing = report[not_in_file.upstream_booking_id]
    assert missing[0] == "—" and missing[2] == not_in_file.reference and missing[4] == sar("200.00")
    assert missing[7] == "Booked but missing from the file"
    assert not Booking.objects.filter(status=Status.RECONCILED).exists()  # nothing changes before confirming

    # 5. Confirm: only the two matched bookings are reconciled.
    page.get_by_role("button", name="Confirm: mark the 2 matched bookings reconciled").click()
    expect(page.locator(".messages")).to_contain_text("2 bookings reconciled.")
    expect(page.locator(".record-facts")).to_contain_text("Confirmed on")
    expect(page.locator("main")).to_contain_text("2 bookings reconciled.")
    expect(page.get_by_role("button", name=re.compile("^Confirm"))).to_have_count(0)
    screenshot("03-settlement-confirmed")
    for booking in paid_ok:
        booking.refresh_from_db()
        assert booking.status == Status.RECONCILED and booking.settlement_import_id == settlement.pk
        assert (
            booking.events.last().reason_text
            == f"Settlement import #{settlement.pk}, line {paid_ok.index(booking) + 2}"
        )
    for booking in (mismatched, not_in_file, vaccination):
        booking.refresh_from_db()
        assert booking.status == Status.AWAITING_PAYMENT and booking.settlement_import_id is None

    # 6. The bookings list, filtered on reconciled.
    filter_bookings(page, partner=None, status="Reconciled")
    rows = table_rows(page, ".records-table")
    assert sorted(row[0] for row in rows) == sorted(b.reference for b in paid_ok)
    assert all(row[2] == "Reconciled" for row in rows)
    assert table_rows(page, ".records-totals") == [["Sanar video consultation", "SAR", "2", sar("210.00")]]
    screenshot("04-bookings-reconciled")
    _, _, exported = export_csv(page)
    assert {row["reference"]: row["settlement_import_id"] for row in exported} == {
        booking.reference: str(settlement.pk) for booking in paid_ok
    }

    # 7. The same file again: its import is shown, nothing changes.
    upload_settlement(page, settlement_csv)
    assert page.url.endswith(f"/settlements/{settlement.pk}/")
    expect(page.locator(".messages")).to_contain_text("This file was already imported: nothing changed.")
    assert SettlementImport.objects.count() == 1
    assert Booking.objects.filter(status=Status.RECONCILED).count() == 2
