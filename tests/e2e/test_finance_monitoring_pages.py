"""The home page, partner health, the bookings totals and a settlement that matched nothing, in a browser.

Each page is shot at 1280 px and at 390 px (a phone) under test-artifacts/<test name>/.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from bookings.states import Status
from partners.models import Partner, UpstreamCall
from tests.factories import make_booking, make_call

PARTNERS = [
    (Partner.Code.SANAR_VIDEO, Partner.Vendor.SANAR, "Sanar video consultation"),
    (Partner.Code.SANAR_VACCINATION, Partner.Vendor.SANAR, "Sanar kids vaccination"),
    (Partner.Code.SANDICARE, Partner.Vendor.SANDICARE, "Sandicare teleconsult enrollment"),
]


@pytest.fixture
def partners(transactional_db, roles_and_demo_users):
    return {
        code: Partner.objects.get_or_create(code=code, defaults={"vendor": vendor, "name": name})[0]
        for code, vendor, name in PARTNERS
    }


def shoot_both_widths(page, screenshot, name: str, fits: str = "html") -> None:
    """Full-page shots at 1280 and 390 px; at 390 px, ``fits`` (the page by default) is no wider than the screen.

    axe-core checks the page's main content first: no serious or critical violation.
    """
    results = Axe().run(page, context="main")
    serious = [
        (v["id"], [node["target"] for node in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{name}: {serious}"
    screenshot(f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(f"{name}-390")
    width = page.locator(fits).first.evaluate("element => element.scrollWidth")
    assert width <= 390, f"{fits} is {width} px wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_home_starts_with_new_booking_then_drafts_today_and_who_needs_a_person(
    page, login, live_server, partners, screenshot
):
    video = partners[Partner.Code.SANAR_VIDEO]
    make_booking(partner=video, status=Status.DRAFT, patient_name="Huda Draft")
    make_booking(partner=video, status=Status.AWAITING_PAYMENT, patient_name="Omar Booked")
    make_booking(partner=partners[Partner.Code.SANDICARE], status=Status.NEEDS_ATTENTION, patient_name="Lina Waiting")

    login("operations")
    expect(page.locator("main h1")).to_have_text("Home")

    headings = page.locator("main h2").all_inner_texts()
    assert headings[:4] == ["New booking", "Drafts to resume", "Today's bookings", "Needs a person"]
    buttons = page.locator("#new-booking-title + div a.btn")
    expect(buttons).to_have_count(3)
    expect(page.locator("main")).not_to_contain_text("p95")
    shoot_both_widths(page, screenshot, "01-home")
    buttons.first.click()
    page.wait_for_url(re.compile(r"/bookings/(video|vaccination|enrollment)/"))


def test_partner_health_counts_a_sandicare_404_as_an_answer_not_a_failure(
    page, login, live_server, partners, screenshot
):
    sandicare = partners[Partner.Code.SANDICARE]
    make_call(partner=sandicare, operation="enroll", latency_ms=300)
    make_call(partner=sandicare, operation="enroll", outcome=UpstreamCall.Outcome.NOT_FOUND, http_status=404)
    make_call(partner=sandicare, operation="enroll", outcome=UpstreamCall.Outcome.SERVER_ERROR, http_status=503,
              error="Sandicare answered 503: service unavailable")  # fmt: skip

    login("partneradmin")
    expect(page.locator("main h1")).to_have_text("Home")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Partner health").click()
    page.wait_for_url(re.compile(r"/partner-health/$"))

    card = page.locator("section", has=page.get_by_role("heading", name="Sandicare teleconsult enrollment"))
    expect(card).to_contain_text("3 calls · partner success 66.7 %")
    expect(card).to_contain_text("1 partner failure (5xx")
    expect(card).to_contain_text("1 answer about the request (invalid fields, not found or no subscription")
    expect(card).to_contain_text("Sandicare answered 503")
    expect(card).to_contain_text("No active credential: a partner admin must add one.")
    shoot_both_widths(page, screenshot, "02-partner-health")


def test_bookings_totals_add_up_only_what_the_partner_has(page, login, live_server, partners, screenshot):
    video = partners[Partner.Code.SANAR_VIDEO]
    for status in (Status.AWAITING_PAYMENT, Status.AWAITING_PAYMENT, Status.RECONCILED):
        make_booking(partner=video, status=status, amount="90.00")
    for status in (Status.DRAFT, Status.DRAFT, Status.FAILED, Status.NEEDS_ATTENTION):
        make_booking(partner=video, status=status, amount="90.00")

    login("finance")
    expect(page.locator("main h1")).to_have_text("Home")
    page.goto(f"{live_server.url}/bookings/")

    expect(page.locator("#totals-title")).to_have_text("Totals for the filtered list (7 bookings)")
    booked = page.locator("table[aria-labelledby=booked-title] tbody tr")
    expect(booked).to_have_count(1)
    expect(booked.first).to_contain_text("270.00")
    expect(page.locator("table[aria-labelledby=not-booked-title] tbody tr")).to_have_count(3)
    # The bookings table below scrolls on its own; the totals must fit.
    shoot_both_widths(page, screenshot, "03-bookings-totals", fits="section[aria-labelledby=totals-title]")


def test_a_settlement_that_matched_nothing_says_why_and_is_checked_again(
    page, login, live_server, partners, screenshot
):
    vaccination = partners[Partner.Code.SANAR_VACCINATION]
    make_booking(partner=vaccination, status=Status.AWAITING_PAYMENT, upstream_booking_id="VAC-1", amount="95.00")
    make_booking(partner=vaccination, status=Status.AWAITING_PAYMENT, upstream_booking_id="VAC-2", amount="95.00")
    content = b"partner_booking_id,amount,currency,paid_at,status\r\nVAC-1,95.00,SAR,2026-04-28,paid\r\nVAC-2,99.00,SAR,2026-04-28,paid\r\n"

    login("finance")
    expect(page.locator("main h1")).to_have_text("Home")
    page.goto(f"{live_server.url}/settlements/")
    expect(page.locator("#id_partner")).to_have_value("")
    page.set_input_files("#id_file", files=[{"name": "april.csv", "mimeType": "text/csv", "buffer": content}])
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#field-partner")).to_contain_text("Choose the partner who sent this file.")
    screenshot("04-settlement-partner-required")

    page.select_option("#id_partner", label="Sanar video consultation")
    page.set_input_files("#id_file", files=[{"name": "april.csv", "mimeType": "text/csv", "buffer": content}])
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r"/settlements/\d+/$"))
    warning = page.locator("#nothing-matched")
    expect(warning).to_contain_text("Nothing in this file matched a Sanar video consultation booking")
    expect(warning).to_contain_text("2 ids in the file are Sanar kids vaccination bookings.")
    expect(page.get_by_role("button", name=re.compile("^Confirm"))).to_have_count(0)
    expect(page.locator("#report-lines time[datetime='2026-04-28']").first).to_be_visible()  # a date, no time
    expect(page.locator("#report-lines")).not_to_contain_text("00:00")
    shoot_both_widths(page, screenshot, "05-settlement-nothing-matched")

    page.get_by_role("button", name="Check the same file again").click()
    expect(page.locator("h1")).to_contain_text("Sanar kids vaccination")
    expect(page.get_by_role("button", name="Confirm: mark the 1 matched booking reconciled")).to_be_visible()

    page.get_by_role("link", name=re.compile("^Dispute or explain")).first.click()
    page.get_by_label("Explained").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("#field-note")).to_contain_text("Say what explains the difference")
    shoot_both_widths(page, screenshot, "06-settlement-line-error")
    page.get_by_label("Note").fill("Partner credit note CN-7 covers 4.00")
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url(re.compile(r"/settlements/\d+/$"))
    expect(page.locator("main table")).to_contain_text("Partner credit note CN-7 covers 4.00")
    shoot_both_widths(page, screenshot, "07-settlement-line-explained")
