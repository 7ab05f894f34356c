"""A returning patient chosen on a flow's first step, booked, then sent the payment link by
email from the hand-off page: the worker sends it to a real SMTP server on loopback and the
page shows the message's status as it changes. Screenshots of the send panel at 1280 and
390 px, in English and Arabic: test-artifacts/<test name>/."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from bookings.models import Booking
from bookings.states import Status
from messaging.models import Message
from patients.services import patient_create
from tests.e2e.pages import payment_link_shown_in_place
from tests.e2e.test_video_flow import video_credential  # noqa: F401  (a fixture)
from tests.factories import make_booking
from tests.messaging.conftest import unifonic  # noqa: F401  (a fixture: SMS and WhatsApp sent to the simulator)
from tests.worker_fixtures import wait_for

pytestmark = pytest.mark.worker
EMAIL = "layla.haddad@example.org"


def both_widths(page, screenshot, name: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(f"{name}-390")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name}: scrolls sideways"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.usefixtures("video_credential", "unifonic")
def test_book_for_a_returning_patient_and_email_the_link(
    celery_worker_process,
    smtp_sink,
    login,
    page,
    live_server,
    screenshot,
):
    layla = patient_create(
        actor=None,
        full_name="Layla Haddad",
        mobile="+966501234567",
        email=EMAIL,
        date_of_birth=datetime.date(1990, 5, 17),
        gender="Female",
        language="en",
        preferred_channel="email",
        consents_to_messages=True,
    )
    login("operations")
    page.goto(live_server.url + reverse("bookings:video-start"))
    page.fill("input[name=q]", "0501234567")
    page.locator("form[role=search] button[type=submit]").click()
    page.get_by_role("button", name="Book for this patient").click()

    page.wait_for_url(re.compile(r"/speciality/$"))
    page.locator("#speciality-list button", has_text="Family Medicine").click()
    page.wait_for_url(re.compile(r"/doctor/$"))
    page.locator('[data-doctor="EMP86190"]').locator("button[name=doctor_id]").click()
    page.wait_for_url(re.compile(r"/slot/$"))
    day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    page.fill("#slot-date", day)
    page.wait_for_selector(f'#slots[data-day="{day}"]')
    page.locator("button.slot:not([disabled])").first.click()
    # The directory filled the patient step: the flow goes straight to confirming.
    page.wait_for_url(re.compile(r"/confirm/$"))
    assert "Layla Haddad" in page.inner_text("main") and "050 123 4567" in page.inner_text("main")
    page.click("#book-button")

    payment_link_shown_in_place(page, screenshot, "01-status-payment-link")
    booking = Booking.objects.get()
    assert booking.status == Status.AWAITING_PAYMENT and booking.patient == layla
    assert page.is_checked("input[name=channel][value=email]")  # the patient's preferred channel
    assert page.locator("input[name=channel]").count() == 3  # email, SMS, WhatsApp: set up and reachable
    both_widths(page, screenshot, "02-send-panel-en")

    page.click("#send-link-button")
    page.wait_for_selector(".messages .alert-success")
    page.wait_for_selector("#latest-message .message-sent", timeout=30_000)  # polled from queued
    latest = page.inner_text("#latest-message")
    assert "l***@example.org" in latest and "1 attempt" in latest
    assert page.locator("#send-link-button").inner_text() == "Resend the link"
    both_widths(page, screenshot, "03-sent-en")

    (email,) = smtp_sink.to(EMAIL)
    assert booking.payment_url in email.get_payload(0).as_string().replace("=\n", "")
    message = Message.objects.get()
    assert (message.status, message.channel, message.attempts) == (Message.Status.SENT, "email", 1)

    # Resend: one click is one more message, a double click too.
    page.dblclick("#send-link-button")
    page.wait_for_selector(".messages .alert-success")
    assert wait_for(lambda: Message.objects.filter(status=Message.Status.SENT).count() == 2)
    assert Message.objects.count() == 2 and len(smtp_sink.to(EMAIL)) == 2

    page.goto(live_server.url + reverse("bookings:detail", args=[booking.pk]))
    timeline = page.locator(".timeline-message")
    assert timeline.count() == 2 and "Sent" in timeline.first.inner_text()

    page.goto(live_server.url + reverse("bookings:status", args=[booking.pk]))
    page.locator('.language-menu button[value="ar"]').first.click()
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")
    with translation.override("ar"):
        resend = gettext("Resend the link")
    assert page.locator("#send-link-button").inner_text() == resend
    both_widths(page, screenshot, "04-send-panel-ar")


@pytest.mark.usefixtures("unifonic")
def test_save_a_typed_patient_from_the_hand_off_page(page, live_server, login, screenshot):
    """The patient was typed in the flow: the hand-off page offers to save them (with consent and
    channel) before the link can be sent; a sibling on the same mobile is offered, not assumed."""
    sibling = patient_create(actor=None, full_name="Omar Haddad", mobile="+966501234567")
    booking = make_booking(
        status=Status.AWAITING_PAYMENT,
        payment_url="https://pay.sanar.example/checkout/typed-1",
        patient_name="Layla Haddad",
        mobile="+966501234567",
        email=EMAIL,
        patient_language="ar",
    )
    login("operations")
    page.goto(live_server.url + reverse("bookings:status", args=[booking.pk]))
    assert "Omar Haddad" in page.inner_text("#save-patient")
    assert page.input_value("#id_full_name") == "Layla Haddad"
    both_widths(page, screenshot, "01-save-panel-en")
    page.click("#save-patient-button")  # no consent ticked: saved, but nothing can be sent yet
    page.wait_for_selector(".messages .alert-success")
    assert "has not agreed" in page.inner_text("#send-panel")

    layla = Booking.objects.get(pk=booking.pk).patient
    assert layla.full_name == "Layla Haddad" and layla != sibling and layla.language == "ar"
    page.locator('.language-menu button[value="ar"]').first.click()
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")
    both_widths(page, screenshot, "02-saved-without-consent-ar")
