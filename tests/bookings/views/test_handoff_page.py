"""The hand-off (status) page and the patient's printable slip: what was booked, the full link,
its QR code and the partner's instructions, in the patient's language on A4 or A5."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from bookings.states import Status
from bookings.templatetags.money import format_money
from bookings.views.status import longest_wait_minutes
from partners.models import Partner
from tests.bookings.views import vaccination_support
from tests.factories import get_partner, make_booking

pytestmark = pytest.mark.django_db
LINK = "https://pay.sanar.example/checkout/4f1c9a7e-2b1d-4c55-9d0e-6a3f1b2c7d88?lang=en&source=clinic"


@pytest.fixture
def booked(operations_user):
    return make_booking(
        status=Status.AWAITING_PAYMENT,
        payment_url=LINK,
        patient_name="Layla Hassan",
        doctor_name="Dr. Prince George",
        speciality_name="Family Medicine",
        appointment_date=datetime.date(2026, 12, 3),
        appointment_time="09:30",
        amount=Decimal("90.00"),
        currency="SAR",
        created_by=operations_user,
    )


def test_status_page_repeats_what_was_booked_and_shows_the_whole_link(ops_client, booked):
    html = ops_client.get(reverse("bookings:status", args=[booked.pk])).content.decode()
    price = format_money(Decimal("90.00"), "SAR")
    for fact in ("Sanar video consultation", "Family Medicine", "Dr. Prince George", "Layla Hassan", price):
        assert fact in html
    assert "Thursday 3 December 2026" in html and "09:30" in html
    # The whole link, never cut: a read-only text box that wraps, and the QR code of it.
    assert f'readonly rows="2" dir="ltr">{LINK.replace("&", "&amp;")}</textarea>' in html
    assert 'data-copy="handoff-url" data-copied="Copied" aria-describedby="copy-result"' in html
    assert '<span id="copy-result" class="text-success-emphasis" role="status"></span>' in html
    assert reverse("bookings:handoff-qr", args=[booked.pk]) in html
    assert reverse("bookings:handoff-slip", args=[booked.pk]) in html
    # The panel that htmx swaps sits in a live region, so a change of status is announced.
    assert '<div aria-live="polite"><section class="card card-body status-panel"' in html


def test_a_booking_in_flight_says_what_happens_and_how_long_it_may_take(ops_client, booked):
    booked.status = Status.SUBMITTING
    booked.submit_attempts = 1
    booked.save(update_fields=["status", "submit_attempts"])
    html = ops_client.get(reverse("bookings:status-panel", args=[booked.pk])).content.decode()
    assert 'hx-trigger="every 500ms"' in html  # a first send: the link shows within half a second
    assert 'aria-current="step">Sanar creates the booking</li>' in html
    assert f"for up to about {longest_wait_minutes()} minutes" in html
    assert "You can leave this page" in html


@override_settings(
    PARTNER_MAX_RETRIES=4,
    PARTNER_CONNECT_TIMEOUT=3,
    PARTNER_READ_TIMEOUT=15,
    PARTNER_RETRY_BACKOFF_SECONDS=5,
    PARTNER_RETRY_BACKOFF_MAX_SECONDS=300,
)
def test_longest_wait_adds_every_timeout_and_the_doubling_back_off():
    # 5 attempts x 18 s + (5 + 10 + 20 + 40) s of back-off = 165 s: about 3 minutes.
    assert longest_wait_minutes() == 3


@override_settings(CLINIC_NAME="Al Noor Family Clinic", CLINIC_ADDRESS="King Fahd Road, Riyadh", CLINIC_PHONE="")
def test_slip_names_the_clinic_the_booking_and_the_link(ops_client, booked):
    html = ops_client.get(reverse("bookings:handoff-slip", args=[booked.pk])).content.decode()
    assert "Al Noor Family Clinic" in html and "King Fahd Road, Riyadh" in html
    assert 'class="slip-logo" src="/static/portal/clinic-logo.svg"' in html
    assert LINK.replace("&", "&amp;") in html and str(booked) in html
    assert "Dr. Prince George" in html and format_money(Decimal("90.00"), "SAR") in html
    assert 'class="slip-page slip-a4"' in html  # A4 unless A5 is asked for


def test_slip_prints_the_partners_instructions_for_the_vaccination(ops_client, operations_user):
    vaccination_support.make_catalogue()
    booking = make_booking(
        partner=get_partner(Partner.Code.SANAR_VACCINATION),
        payment_url=LINK,
        service_ids=["VAC-MMR", "VAC-FLU"],
        service_names=["MMR", "Flu"],
        guardian_name="Hassan Ali",
        created_by=operations_user,
    )
    html = ops_client.get(reverse("bookings:handoff-slip", args=[booking.pk])).content.decode()
    assert "Instructions from Sanar" in html
    assert html.count("Bring the child&#x27;s vaccination card.") == 1  # shared by both services, printed once
    assert "Guardian" in html and "Hassan Ali" in html


def test_slip_in_the_patients_language_and_on_a5(ops_client, booked):
    html = ops_client.get(reverse("bookings:handoff-slip", args=[booked.pk]), {"language": "ar", "paper": "a5"})
    text = html.content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert "bootstrap.rtl.min.css" in text
    assert 'class="slip-page slip-a5"' in text
    # An unknown language or paper falls back instead of failing.
    fallback = ops_client.get(reverse("bookings:handoff-slip", args=[booked.pk]), {"language": "xx", "paper": "b4"})
    assert '<html lang="en" dir="ltr">' in fallback.content.decode() and "slip-a4" in fallback.content.decode()


def test_a_poll_that_saw_the_same_state_gets_no_change(ops_client, booked):
    booked.status = Status.SUBMITTING
    booked.submit_attempts = 1
    booked.save(update_fields=["status", "submit_attempts"])
    url = reverse("bookings:status-panel", args=[booked.pk])
    html = ops_client.get(url).content.decode()
    seen = html.split("?seen=", 1)[1].split('"', 1)[0]
    assert ops_client.get(f"{url}?seen={seen}").status_code == 204
    booked.status = Status.QUEUED
    booked.save(update_fields=["status"])
    assert ops_client.get(f"{url}?seen={seen}").status_code == 200  # changed: the new panel
    booked.status = Status.AWAITING_PAYMENT
    booked.save(update_fields=["status"])
    assert ops_client.get(f"{url}?seen={seen}").status_code == 200  # settled: the link, no polling
