"""Booking a video consultation in the browser, against the simulator, with a real Celery worker.

Screenshots of every step go to test-artifacts/<test name>/.
"""

import datetime
import re

import pytest
from django.utils import timezone

from bookings.models import Booking
from bookings.states import Status
from partner_simulator import demo_keys
from partners.models import Credential, Partner
from tests.e2e.pages import payment_link_shown_in_place
from tests.worker_fixtures import wait_for

pytestmark = pytest.mark.worker
BOOK = "sanar_video.book"


@pytest.fixture
def video_credential(transactional_db, partner_simulator):
    """The flushed partner rows, and a credential pointing at the simulator (catalogue left empty)."""
    for code, vendor, name in [
        (Partner.Code.SANAR_VIDEO, Partner.Vendor.SANAR, "Sanar video consultation"),
        (Partner.Code.SANAR_VACCINATION, Partner.Vendor.SANAR, "Sanar kids vaccination"),
        (Partner.Code.SANDICARE, Partner.Vendor.SANDICARE, "Sandicare teleconsult enrollment"),
    ]:
        Partner.objects.get_or_create(code=code, defaults={"vendor": vendor, "name": name})
    return Credential.objects.create(
        partner=Partner.objects.get(code=Partner.Code.SANAR_VIDEO),
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sanar_video"),
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
    )


def walk_to_confirm(page, live_server, screenshot) -> tuple[str, str]:
    """Speciality → doctor → slot → patient; returns (day, slot id) chosen."""
    page.goto(f"{live_server.url}/book/")
    page.locator("li.card", has_text="Sanar video consultation").get_by_role("link", name="Start").click()
    page.click("#start-booking")

    page.wait_for_url(re.compile(r"/bookings/video/\d+/speciality/$"))
    page.fill("#speciality-filter", "fam")
    assert page.locator("#speciality-list li:visible").count() == 1
    screenshot("01-speciality")
    page.get_by_role("button", name="Family Medicine").click()

    page.wait_for_url(re.compile(r"/doctor/$"))
    page.get_by_role("link", name="Price").click()
    page.wait_for_url(re.compile(r"\?sort=price$"))
    card = page.locator('[data-doctor="EMP86190"]')
    assert "SAR\xa090.00" in card.inner_text()  # the money filter: Babel, en
    page.wait_for_function("() => document.querySelectorAll('.avatar.no-photo').length >= 1")
    screenshot("02-doctor")
    card.get_by_role("button", name="Choose").click()

    page.wait_for_url(re.compile(r"/slot/$"))
    page.evaluate("window.stillTheSamePage = true")
    day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    page.fill("#slot-date", day)  # fires input and change: htmx fetches that day's slots
    page.wait_for_selector(f'#slots[data-day="{day}"]')
    page.wait_for_selector("#slots-loading:not(.htmx-request)", state="attached")
    assert page.evaluate("window.stillTheSamePage === true"), "changing the day reloaded the whole page"
    assert page.url.endswith(f"?date={day}")
    screenshot("03-slot")
    free = page.locator("button.slot:not([disabled])").first
    slot_id = free.get_attribute("value")
    free.click()

    page.wait_for_url(re.compile(r"/patient/$"))
    page.fill("#id_patient_name", "Sara Ali")
    page.fill("#id_mobile", "12345")
    page.fill("#id_email", "sara@example.org")
    page.check("input[name=patient_gender][value=Female]")
    page.fill("#id_patient_dob", "1990-05-17")
    assert page.locator("#id_patient_dob-age").inner_text().startswith("Age: ")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("#field-mobile .error")
    assert page.input_value("#id_patient_name") == "Sara Ali"  # what was typed is kept
    screenshot("04-patient-invalid-mobile")
    page.fill("#id_mobile", "0501234567")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/confirm/$"))
    assert "050 123 4567" in page.inner_text("main")  # stored E.164, shown the national way
    screenshot("05-confirm")
    return day, slot_id


def test_book_a_video_consultation_and_hand_over_the_payment_link(
    celery_worker_process, video_credential, login, page, live_server, screenshot, partner_simulator
):
    login("operations")
    walk_to_confirm(page, live_server, screenshot)
    page.dblclick("#book-button")

    link = payment_link_shown_in_place(page, screenshot, "06-status-payment-link")

    booking = Booking.objects.get()
    assert booking.status == Status.AWAITING_PAYMENT and booking.payment_url == link
    assert partner_simulator.successful_creates(BOOK) == 1
    assert len(partner_simulator.received(BOOK)) == 1


def test_a_slot_taken_meanwhile_returns_to_slot_choice(
    celery_worker_process, video_credential, login, page, live_server, screenshot, partner_simulator
):
    partner_simulator.inject(BOOK, "1005")
    login("operations")
    day, slot_id = walk_to_confirm(page, live_server, screenshot)
    page.click("#book-button")

    page.wait_for_url(re.compile(r"/status/$"))
    page.wait_for_selector("text=That slot was just taken", timeout=30_000)
    screenshot("06-status-slot-taken")
    page.get_by_role("link", name="Choose another slot").click()

    page.wait_for_url(re.compile(r"/slot/$"))
    assert page.locator(f'#slots[data-day="{day}"]').count() == 1
    taken = page.locator(f'button.slot[value="{slot_id}"]')
    assert taken.is_disabled()
    assert "taken" in taken.inner_text()
    assert "no longer available" in page.inner_text(".partner-notice")
    screenshot("07-slot-shown-taken")
    assert wait_for(lambda: Booking.objects.get().status == Status.SLOT_UNAVAILABLE)
    assert partner_simulator.successful_creates(BOOK) == 0
