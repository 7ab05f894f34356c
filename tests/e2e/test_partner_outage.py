"""A partner that keeps failing, in a real browser: the banner on every page, a booking whose
retries gave up and what staff do with it (another slot, cancel), against the simulator with a
real Celery worker; then the pages staff meet around partner trouble, at 390 and 1,280 px, in
English and Arabic. Screenshots: test-artifacts/<test name>/.
"""

import datetime
import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.language import save_language
from bookings.models import Booking
from bookings.states import Status
from partner_simulator import demo_keys
from partners.models import Credential, Partner, UpstreamCall
from tests.e2e.pages import log_in, payment_link_shown_in_place
from tests.e2e.test_enrollment_flow import fill_patient, sandicare, submit  # noqa: F401 - sandicare is a fixture
from tests.e2e.test_video_flow import BOOK, video_credential, walk_to_confirm  # noqa: F401 - a fixture
from tests.factories import get_partner, make_booking, make_call, make_event

ENROLL = "sandicare.enroll"
ATTEMPTS = 3  # the test worker's 2 retries (tests/worker_fixtures.py)


@pytest.fixture
def outages_read_every_time(settings):
    """The live server runs in this process: no cached "no outage" from the pages before the failures."""
    settings.PARTNER_OUTAGE_CACHE_SECONDS = 0


def wait_until_given_up(page):
    page.wait_for_url(re.compile(r"/status/$"))
    expect(page.locator(".gave-up")).to_contain_text("stopped retrying", timeout=40_000)


@pytest.mark.worker
def test_gave_up_then_another_slot_books_with_everything_kept(
    celery_worker_process,
    video_credential,  # noqa: F811
    login,
    page,
    live_server,
    screenshot,
    partner_simulator,
    outages_read_every_time,
):
    partner_simulator.inject(BOOK, "5000", times=ATTEMPTS)
    login("operations")
    day, first_slot = walk_to_confirm(page, live_server, screenshot)
    page.click("#book-button")

    wait_until_given_up(page)
    page.reload()  # the banner is part of the page, not of the panel that updates itself
    expect(page.locator(".outage-banner")).to_contain_text("Sanar video consultation is not answering since")
    expect(page.locator(".failing-since")).to_contain_text("Sanar has not been answering since")
    screenshot("06-gave-up")
    assert Booking.objects.get().status == Status.NEEDS_ATTENTION

    page.get_by_role("button", name="Choose another slot or provider").click()
    page.wait_for_url(re.compile(r"/slot/$"))
    page.wait_for_selector(f'#slots[data-day="{day}"]')
    assert page.locator(f'button.slot.selected[value="{first_slot}"]').count() == 1  # the choice is kept
    screenshot("07-back-on-the-slot")
    other = page.locator(f'button.slot:not([disabled]):not([value="{first_slot}"])').first
    other_slot = other.get_attribute("value")
    other.click()

    page.wait_for_url(re.compile(r"/confirm/$"))  # the patient step is still complete
    assert "Sara Ali" in page.inner_text("main")
    page.click("#book-button")
    payment_link_shown_in_place(page, screenshot, "08-booked")

    booking = Booking.objects.get()
    assert booking.status == Status.AWAITING_PAYMENT
    assert (booking.slot_id, booking.patient_name, booking.email) == (other_slot, "Sara Ali", "sara@example.org")
    assert partner_simulator.successful_creates(BOOK) == 1
    assert len(partner_simulator.received(BOOK)) == ATTEMPTS + 1


@pytest.mark.worker
def test_an_enrollment_that_gave_up_is_cancelled_after_a_confirmation(
    celery_worker_process,
    sandicare,  # noqa: F811
    login,
    page,
    live_server,
    screenshot,
    partner_simulator,
    outages_read_every_time,
):
    partner_simulator.inject(ENROLL, "http_503", times=ATTEMPTS)
    login("operations")
    page.goto(live_server.url + reverse("bookings:enrollment-start"))
    fill_patient(page, service="nutrition")
    submit(page)

    wait_until_given_up(page)
    expect(page.locator(".gave-up")).to_contain_text("Sandicare has not been answering since")
    page.get_by_role("link", name="Cancel the booking").click()
    page.wait_for_url(re.compile(r"/cancel/$"))
    screenshot("01-cancel-confirmation")
    assert Booking.objects.get().status == Status.NEEDS_ATTENTION
    page.get_by_role("button", name="Yes, cancel the booking").click()

    page.wait_for_url(re.compile(r"/status/$"))
    expect(page.locator(".messages")).to_contain_text("is cancelled.")
    expect(page.locator("#status-panel")).to_contain_text("Cancelled.")
    screenshot("02-cancelled")
    booking = Booking.objects.get()
    assert booking.status == Status.CANCELLED
    assert (booking.email, booking.sandicare_service) == ("patient@example.org", "nutrition")
    assert partner_simulator.successful_creates(ENROLL) == 0


# --- the pages around partner trouble, both widths, both directions ------------------------------


@pytest.fixture
def trouble(roles_and_demo_users, partner_simulator, settings, outages_read_every_time):
    """A partner out, a booking that gave up, a booking whose price changed, a credential."""
    settings.PARTNER_SUPPORT_CONTACTS = {"sanar_video": "+966 11 000 0000 (24 h), support@sanar.example"}
    video = get_partner(Partner.Code.SANAR_VIDEO)
    ops = roles_and_demo_users["operations"][0]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    gave_up = make_booking(
        status=Status.NEEDS_ATTENTION,
        submit_attempts=3,
        patient_name="Layla Hassan Al-Qahtani",
        doctor_name="Dr. Prince George",
        appointment_date=tomorrow,
        appointment_time="09:30",
        slot_id="S-0930",
        created_by=ops,
        partner_message="Service temporarily unavailable (5000)",
    )
    calls = [
        make_call(
            booking=gave_up,
            outcome=UpstreamCall.Outcome.SERVER_ERROR,
            body_status="5000",
            created_at=timezone.now() - datetime.timedelta(minutes=12 - 4 * n),
        )
        for n in range(3)
    ]
    make_event(gave_up, from_status=Status.SUBMITTING, to_status=Status.NEEDS_ATTENTION, upstream_call=calls[-1])
    repriced = make_booking(
        status=Status.AWAITING_PAYMENT,
        partner=get_partner(Partner.Code.SANAR_VACCINATION),
        payment_url="https://pay.sanar.example/checkout/4f1c9a7e-2b1d-4c55-9d0e-6a3f1b2c7d88?lang=en&source=clinic",
        upstream_booking_id="SNR-REPRICED-1",
        patient_name="Omar Saleh",
        guardian_name="Huda Saleh",
        provider_name="Rawdah Pediatric Clinic",
        appointment_date=tomorrow,
        appointment_time="10:00",
        quoted_amount=Decimal("245.00"),
        quoted_currency="SAR",
        amount=Decimal("275.00"),
        created_by=ops,
    )
    credential = Credential.objects.create(
        partner=video,
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sanar_video"),
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
    )
    admin = roles_and_demo_users["partneradmin"][0]
    admin.is_staff = True
    admin.save()
    return {
        "operations": [
            ("home-with-outage-banner", reverse("bookings:dashboard"), ".outage-banner"),
            ("gave-up", reverse("bookings:status", args=[gave_up.pk]), ".gave-up"),
            ("cancel-confirmation", reverse("bookings:cancel", args=[gave_up.pk]), ".cancel-confirm"),
            ("price-changed-handoff", reverse("bookings:status", args=[repriced.pk]), ".price-change"),
        ],
        "partneradmin": [
            (
                "credential-test-connection",
                reverse("admin:partners_credential_change", args=[credential.pk]),
                "form.test-connection button",
            ),
        ],
    }


def _log_in(page, live_server, user, password):
    page.context.clear_cookies()
    log_in(page, live_server.url, user, password)  # with the code, for the partner admin


def test_partner_trouble_pages_at_both_widths_in_english_and_arabic(
    page, live_server, roles_and_demo_users, trouble, screenshot
):
    problems = []
    for username, pages in trouble.items():
        user, password = roles_and_demo_users[username]
        for language in ("en", "ar"):
            save_language(user, language)
            _log_in(page, live_server, user, password)
            for name, path, shown in pages:
                for width in (1280, 390):
                    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
                    assert page.goto(f"{live_server.url}{path}").status == 200
                    expect(page.locator(shown).first).to_be_visible()
                    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
                    screenshot(f"{name}-{language}-{width}")
                    scroll = page.evaluate("() => document.documentElement.scrollWidth")
                    if scroll > width:
                        problems.append(f"{name} [{language}] @{width}px: {scroll}px wide")
                    if width == 1280 and username == "operations":
                        results = Axe().run(page, context="main")
                        problems += [
                            f"{name} [{language}]: axe {v['id']}"
                            for v in results.response["violations"]
                            if v["impact"] in ("serious", "critical")
                        ]
    assert not problems, "\n".join(problems)
