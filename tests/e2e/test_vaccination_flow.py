"""Booking a kids vaccination visit in the browser, against the simulator, with a real Celery worker.

Screenshots of every step go to test-artifacts/<test name>/.
"""

import datetime
import re

import pytest
from django.utils import timezone

from bookings.models import Booking
from bookings.states import Status
from tests.bookings.views.vaccination_support import born_years_ago, simulator_credential
from tests.e2e.pages import payment_link_shown_in_place

pytestmark = pytest.mark.worker
BOOK = "sanar_vaccination.book"


@pytest.fixture
def kids_credential(transactional_db, partner_simulator):
    """A credential pointing at the simulator; the catalogue is left empty (fetched on first use)."""
    return simulator_credential(partner_simulator)


def choose_services(page, live_server, screenshot):
    """Start a booking and choose MMR + influenza (one visit, two vaccines)."""
    page.goto(f"{live_server.url}/book/")
    page.locator("li.card", has_text="Sanar kids vaccination").get_by_role("link", name="Start").click()
    page.click("#start-booking")
    page.wait_for_url(re.compile(r"/bookings/vaccination/\d+/services/$"))
    assert "6 months-18 years" in page.inner_text('[data-service="VAC-FLU"]')
    page.check('input[value="VAC-MMR"]')
    page.check('input[value="VAC-FLU"]')
    screenshot("01-services")
    page.get_by_role("button", name="Continue").click()


def test_book_two_vaccines_and_hand_over_the_payment_link(
    celery_worker_process, kids_credential, login, page, live_server, screenshot, partner_simulator
):
    login("operations")
    choose_services(page, live_server, screenshot)

    page.wait_for_url(re.compile(r"/details/$"))
    assert page.locator("article.service-details").count() == 2
    assert "Bring the child's vaccination card." in page.inner_text('[data-service="VAC-MMR"]')
    screenshot("02-details")
    page.get_by_role("link", name="Continue").click()

    page.wait_for_url(re.compile(r"/where/$"))
    day = timezone.localdate() + datetime.timedelta(days=2)
    page.fill("#id_appointment_date", day.isoformat())
    page.select_option("#id_city", "Jeddah")
    page.fill("#id_address", "Prince Sultan St, Al Rawdah")
    screenshot("03-where-and-when")
    page.get_by_role("button", name="Find providers").click()

    page.wait_for_url(re.compile(r"/slot/$"))
    page.wait_for_selector(f'#slots[data-day="{day.isoformat()}"]')
    nearest_first = ["Andalus Child Health Centre", "Rawdah Pediatric Clinic"]
    assert page.locator(".slot-group h4").all_inner_texts() == nearest_first
    assert "km" in page.inner_text(".slot-group >> nth=0")
    page.evaluate("window.stillTheSamePage = true")
    other_day = day + datetime.timedelta(days=1)
    page.fill("#slot-date", other_day.isoformat())  # htmx fetches that day's providers
    page.wait_for_selector(f'#slots[data-day="{other_day.isoformat()}"]')
    assert page.evaluate("window.stillTheSamePage === true"), "changing the day reloaded the whole page"
    assert page.locator("button.slot[disabled]").count() >= 1  # taken slots are not clickable
    screenshot("04-provider-slot")
    group = page.locator(".slot-group").nth(1)  # the second provider: slot ids repeat across them
    free = group.locator("button.slot:not([disabled])").first
    slot_id = free.get_attribute("value")
    free.click()

    page.wait_for_url(re.compile(r"/child/$"))
    page.fill("#id_patient_name", "Omar Saleh")
    page.fill("#id_patient_dob", born_years_ago(3).isoformat())
    assert page.locator("#id_patient_dob-age").inner_text() == "Age: 3 years"
    page.check("input[name=patient_gender][value=Male]")
    page.fill("#id_guardian_name", "Huda Saleh")
    page.fill("#id_mobile", "12345")
    page.fill("#id_email", "huda@example.org")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("#field-mobile .error")
    assert page.input_value("#id_guardian_name") == "Huda Saleh"  # what was typed is kept
    screenshot("05-child-invalid-mobile")
    page.fill("#id_mobile", "0501234567")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(re.compile(r"/confirm/$"))
    main = page.inner_text("main")
    for text in ["Rawdah Pediatric Clinic", "Jeddah", "SAR\xa0245.00", "050 123 4567", "Huda Saleh"]:
        assert text in main, text
    screenshot("06-confirm")
    page.dblclick("#book-button")

    link = payment_link_shown_in_place(page, screenshot, "07-status-payment-link")

    booking = Booking.objects.get()
    assert booking.status == Status.AWAITING_PAYMENT and booking.payment_url == link
    assert (booking.provider_id, booking.slot_id, booking.appointment_date) == ("PRV-JED-01", slot_id, other_day)
    assert partner_simulator.successful_creates(BOOK) == 1
    sent = partner_simulator.received(BOOK)[0]["json"]
    assert sent["services"] == ["VAC-MMR", "VAC-FLU"]
    assert sent["location"] == {
        "city": "Jeddah",
        "lat": 21.4858,
        "lng": 39.1925,
        "address": "Prince Sultan St, Al Rawdah",
    }


def test_browse_1004_lands_back_on_the_services_with_a_message(
    celery_worker_process, kids_credential, login, page, live_server, screenshot, partner_simulator
):
    login("operations")
    choose_services(page, live_server, screenshot)
    page.wait_for_url(re.compile(r"/details/$"))
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(re.compile(r"/where/$"))
    partner_simulator.inject("sanar_vaccination.browse", "1004")
    services_calls = len(partner_simulator.received("sanar_vaccination.services"))
    page.get_by_role("button", name="Find providers").click()

    page.wait_for_url(re.compile(r"/services/$"))
    message = page.inner_text(".messages")
    assert "Sanar no longer knows part of this selection (" in message
    assert "The services were refreshed: choose them again." in message
    assert len(partner_simulator.received("sanar_vaccination.services")) == services_calls + 1
    screenshot("02-back-on-services-after-1004")
    assert Booking.objects.get().status == Status.DRAFT
