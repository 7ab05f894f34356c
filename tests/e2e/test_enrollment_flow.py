"""Sandicare enrollment in a real browser: the form, a real worker, the simulator, the live status page.

Screenshots: test-artifacts/<test name>/.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bookings.models import Booking
from bookings.states import Status
from partner_simulator import demo_keys
from partners.models import Credential, Partner

pytestmark = pytest.mark.worker

ENROLL = "sandicare.enroll"
PATIENT_EMAIL, PATIENT_DOB = "patient@example.org", "1990-05-17"


@pytest.fixture
def sandicare(transactional_db, partner_simulator):
    partner, _ = Partner.objects.get_or_create(
        code=Partner.Code.SANDICARE,
        defaults={"vendor": Partner.Vendor.SANDICARE, "name": "Sandicare teleconsult enrollment"},
    )
    return Credential.objects.create(
        partner=partner,
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sandicare"),
        api_key=demo_keys.SANDICARE_SANDBOX_KEY,
        program_ids=",".join(demo_keys.SANDICARE_PROGRAM_IDS),
    )


@pytest.fixture
def staff(login, live_server, celery_worker_process, sandicare):
    page = login("operations")

    def open_form():
        page.goto(live_server.url + reverse("bookings:enrollment-start"))
        return page

    return open_form


def fill_patient(page, *, service, email=PATIENT_EMAIL, dob=PATIENT_DOB, program="1002"):
    page.select_option("select[name=program_id]", program)
    page.select_option("select[name=sandicare_service]", service)
    page.fill("input[name=email]", email)
    page.fill("input[name=patient_dob]", dob)


def submit(page):
    page.click("form.enrollment-form button[type=submit]")


def wait_for_link(page, kind):
    """The status panel turns to the link hand-off in place (htmx polling), without a reload."""
    page.evaluate("window.__sameDocument = true")
    handoff = page.locator(".handoff")
    expect(handoff).to_contain_text(kind, timeout=30_000)
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded instead of updated live"
    return page.locator("#handoff-url").input_value()


def test_enroll_general_medicine_then_nutrition(staff, partner_simulator, screenshot, live_server):
    partner_simulator.set_latency(1200)  # long enough to see the page waiting, then updating
    page = staff()
    reason_field = page.locator("#field-consultation_reason")
    reason = page.locator("textarea[name=consultation_reason]")
    expect(reason_field).to_be_hidden()
    screenshot("01-empty-form")

    # General medicine: the reason appears and is required.
    fill_patient(page, service="general_medicine")
    expect(reason_field).to_be_visible()
    assert reason.evaluate("el => el.required")
    submit(page)
    assert reason.evaluate("el => el.validity.valueMissing")
    assert page.url.endswith(reverse("bookings:enrollment-start"))  # the browser kept the form
    screenshot("02-general-medicine-reason-required")
    reason.fill("Fever and sore throat since yesterday")
    submit(page)
    page.wait_for_url(re.compile(r"/bookings/\d+/status/$"))
    expect(page.locator("#status-panel")).to_have_attribute("data-status", re.compile("queued|submitting"))
    screenshot("03-general-medicine-sending")
    waiting_room = wait_for_link(page, "Nimbo waiting room")
    assert waiting_room.startswith("https://nimbo.example/waiting-room/")
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    expect(page.get_by_role("link", name="Printable slip")).to_be_visible()
    expect(page.locator(".qr img")).to_be_visible()
    screenshot("04-general-medicine-enrolled")

    # Nutrition: no reason field, and none sent.
    page = staff()
    fill_patient(page, service="general_medicine")
    reason.fill("Typed before switching service")
    page.select_option("select[name=sandicare_service]", "nutrition")
    expect(reason_field).to_be_hidden()
    screenshot("05-nutrition-form")
    submit(page)
    page.wait_for_url(re.compile(r"/bookings/\d+/status/$"))
    service_link = wait_for_link(page, "Service link")
    assert service_link == "https://care.sandicare.example/programs/1002/nutrition"
    screenshot("06-nutrition-enrolled")

    general_request, nutrition_request = partner_simulator.received(ENROLL)
    assert general_request["json"]["consultationReason"] == "Fever and sore throat since yesterday"
    assert nutrition_request["json"]["service"] == "nutrition"
    assert "consultationReason" not in nutrition_request["json"]

    # History: both enrollments with their links.
    page.goto(live_server.url + reverse("bookings:enrollment-history"))
    page.fill("input[name=email]", PATIENT_EMAIL.upper())
    page.click("form.history-search button[type=submit]")
    rows = page.locator("table.enrollment-history tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Nutrition")
    expect(rows.nth(1)).to_contain_text("General medicine")
    expect(page.locator("table.enrollment-history")).to_contain_text(waiting_room)
    screenshot("07-history")

    # The same patient and service again today: a warning before the second call.
    page = staff()
    fill_patient(page, service="nutrition")
    submit(page)
    page.wait_for_url(re.compile(r"/bookings/enrollment/\d+/confirm/$"))
    expect(page.locator(".duplicate-warning")).to_contain_text("already enrolled for Nutrition today")
    screenshot("08-same-day-warning")
    assert partner_simulator.successful_creates(ENROLL) == 2
    page.get_by_role("button", name="Enroll again").click()
    page.wait_for_url(re.compile(r"/bookings/\d+/status/$"))
    wait_for_link(page, "Service link")
    assert partner_simulator.successful_creates(ENROLL) == 3


def test_unknown_email_gets_the_no_subscription_answer(staff, partner_simulator, screenshot):
    page = staff()
    fill_patient(page, service="psychology", email="nobody@example.org")
    submit(page)
    page.wait_for_url(re.compile(r"/bookings/\d+/status/$"))
    panel = page.locator("#status-panel")
    expect(panel).to_contain_text(
        "No active Sandicare subscription matches this email and date of birth", timeout=30_000
    )
    expect(panel).to_contain_text("check the spelling of the email")
    expect(page.get_by_role("button", name="Retry now")).to_have_count(0)
    screenshot("01-no-subscription")
    assert len(partner_simulator.received(ENROLL)) == 1
    booking = Booking.objects.get()
    assert booking.status == Status.FAILED

    page.get_by_role("link", name="Go back and fix it").click()
    page.wait_for_url(re.compile(r"/bookings/enrollment/\d+/$"))
    expect(page.locator(".errors")).to_contain_text("No active Sandicare subscription")
    expect(page.locator("input[name=email]")).to_have_value("nobody@example.org")
    expect(page.locator("#field-consultation_reason")).to_be_hidden()
    screenshot("02-back-on-the-form")
