"""The portal in Arabic and in Spanish, in a real browser: one flow each, with screenshots.

Arabic: a Sanar video consultation booked from the language menu's choice, right to left, then the
patient's slip. Spanish: the accented Sandicare subscriber (``josé.núñez@example.mx``) enrolled,
then the slip in the three languages. Screenshots at 1280 and 390 px: test-artifacts/<test name>/.
"""

import datetime
import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from bookings.models import Booking
from bookings.states import Status
from partner_simulator import demo_keys
from partners.models import Credential, Partner
from tests.e2e.pages import payment_link_shown_in_place

pytestmark = pytest.mark.worker
ACCENTED = "josé.núñez@example.mx"


@pytest.fixture
def page(browser, request):
    """A browser set to the staff's country and language (the native date picker follows it)."""
    marker = request.node.get_closest_marker("browser_locale")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=marker.args[0] if marker else "en-US")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


@pytest.fixture
def credentials(transactional_db, partner_simulator):
    for code, vendor, name in [
        (Partner.Code.SANAR_VIDEO, Partner.Vendor.SANAR, "Sanar video consultation"),
        (Partner.Code.SANAR_VACCINATION, Partner.Vendor.SANAR, "Sanar kids vaccination"),
        (Partner.Code.SANDICARE, Partner.Vendor.SANDICARE, "Sandicare teleconsult enrollment"),
    ]:
        Partner.objects.get_or_create(code=code, defaults={"vendor": vendor, "name": name})
    Credential.objects.create(
        partner=Partner.objects.get(code=Partner.Code.SANAR_VIDEO),
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sanar_video"),
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
    )
    Credential.objects.create(
        partner=Partner.objects.get(code=Partner.Code.SANDICARE),
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sandicare"),
        api_key=demo_keys.SANDICARE_SANDBOX_KEY,
        program_ids=",".join(demo_keys.SANDICARE_PROGRAM_IDS),
    )


def choose_language(page, code: str) -> None:
    """The menu on every page: the button labelled in its own language."""
    page.locator(f'.language-menu button[value="{code}"]').first.click()
    page.wait_for_function(f"() => document.documentElement.lang === '{code}'")


def both_widths(page, screenshot, name: str) -> None:
    screenshot(f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(f"{name}-390")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name}: scrolls sideways"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.browser_locale("ar-SA")
def test_book_a_video_consultation_in_arabic(
    celery_worker_process, credentials, login, page, live_server, screenshot, partner_simulator
):
    login("operations")
    choose_language(page, "ar")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert in_language("ar", "Log out") in page.inner_text("header")
    both_widths(page, screenshot, "01-home")

    page.goto(live_server.url + reverse("bookings:video-start"))
    page.click("#start-booking")
    page.wait_for_url(re.compile(r"/speciality/$"))
    assert in_language("ar", "Speciality") in page.inner_text("main")
    page.locator("#speciality-list button", has_text="Family Medicine").click()  # the partner's words, kept

    page.wait_for_url(re.compile(r"/doctor/$"))
    card = page.locator('[data-doctor="EMP86190"]')
    assert "ر.س." in card.inner_text()  # money in Arabic's way
    both_widths(page, screenshot, "02-doctor")
    card.locator("button[name=doctor_id]").click()

    page.wait_for_url(re.compile(r"/slot/$"))
    day = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    page.fill("#slot-date", day)
    page.wait_for_selector(f'#slots[data-day="{day}"]')
    page.locator("button.slot:not([disabled])").first.click()

    page.wait_for_url(re.compile(r"/patient/$"))
    page.fill("#id_patient_name", "نورة العتيبي")
    page.fill("#id_mobile", "0501234567")
    page.fill("#id_email", "نورة@مثال.السعودية")
    page.check("input[name=patient_gender][value=Female]")
    page.fill("#id_patient_dob", "1990-05-17")
    expect(page.locator("#id_patient_dob-age")).to_contain_text(in_language("ar", "Age: %(age)s").split("%")[0].strip())
    assert page.locator("select[name=patient_language]").input_value() == "ar"  # the staff's, by default
    both_widths(page, screenshot, "03-patient")
    page.locator("form.patient-form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/confirm/$"))
    main = page.inner_text("main")
    assert "050 123 4567" in main and "نورة العتيبي" in main
    both_widths(page, screenshot, "04-confirm")
    page.click("#book-button")

    payment_link_shown_in_place(page, screenshot, "05-status-payment-link")
    booking = Booking.objects.get()
    assert booking.status == Status.AWAITING_PAYMENT
    assert (booking.patient_name, booking.email, booking.patient_language) == (
        "نورة العتيبي",
        "نورة@مثال.السعودية",
        "ar",
    )

    page.goto(live_server.url + reverse("bookings:handoff-slip", args=[booking.pk]))
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    both_widths(page, screenshot, "06-slip-ar")


@pytest.mark.browser_locale("es-MX")
def test_enroll_the_accented_subscriber_in_spanish(
    celery_worker_process, credentials, login, page, live_server, screenshot, partner_simulator
):
    page.goto(f"{live_server.url}/accounts/login/")
    choose_language(page, "es")  # before login: the cookie; after: saved on the profile
    screenshot("01-login-es")
    login("operations")
    assert page.evaluate("document.documentElement.lang") == "es"

    page.goto(live_server.url + reverse("bookings:enrollment-start"))
    page.select_option("select[name=program_id]", "1002")
    page.select_option("select[name=sandicare_service]", "nutrition")
    # Typed decomposed, as some keyboards send it: stored and sent composed (NFC).
    page.fill("input[name=email]", unicodedata.normalize("NFD", ACCENTED))
    page.fill("input[name=patient_dob]", "1978-03-09")
    both_widths(page, screenshot, "02-enrollment-form")
    page.click("form.enrollment-form button[type=submit]")

    page.wait_for_url(re.compile(r"/bookings/\d+/status/$"))
    expect(page.locator(".handoff")).to_contain_text(in_language("es", "Service link"), timeout=30_000)
    both_widths(page, screenshot, "03-enrolled")
    (request,) = partner_simulator.received("sandicare.enroll")
    assert request["json"]["email"] == ACCENTED
    booking = Booking.objects.get()
    assert booking.status == Status.ENROLLED and booking.email == ACCENTED and booking.patient_language == "es"

    page.goto(live_server.url + reverse("bookings:enrollment-history"))
    page.fill("input[name=email]", ACCENTED)
    page.click("form.history-search button[type=submit]")
    expect(page.locator("table.enrollment-history tbody tr")).to_have_count(1)
    screenshot("04-history-es")

    slip = live_server.url + reverse("bookings:handoff-slip", args=[booking.pk])
    for language, direction in (("es", "ltr"), ("en", "ltr"), ("ar", "rtl")):
        page.goto(f"{slip}?language={language}")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [language, direction]
        both_widths(page, screenshot, f"05-slip-{language}")
