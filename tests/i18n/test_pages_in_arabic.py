"""Pages answer in the language asked for, with its direction; stored wording is read in the reader's."""

import pytest
from django.urls import reverse
from django.utils import translation

from bookings.models import BookingEvent
from config.stored_text import stored_text

pytestmark = pytest.mark.django_db


def test_the_login_page_in_arabic_is_right_to_left_and_translated(client):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "تسجيل الدخول" in html
    assert "Log in" not in html


def test_the_login_page_in_english_is_left_to_right(client):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Log in" in html


def test_the_dashboard_in_arabic_names_the_statuses_in_arabic(ops_client):
    html = ops_client.get(reverse("bookings:dashboard"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in html
    assert "الرئيسية" in html


def test_a_stored_reason_is_read_in_the_readers_language():
    event = BookingEvent(reason="Sending to %(partner)s (attempt %(attempt)d of %(attempts)d)")
    event.reason_params = {"partner": "Sanar", "attempt": 1, "attempts": 5}
    with translation.override("en"):
        assert event.reason_text == "Sending to Sanar (attempt 1 of 5)"
    with translation.override("ar"):
        assert event.reason_text == "جارٍ الإرسال إلى Sanar (المحاولة 1 من 5)"


def test_stored_text_keeps_words_it_does_not_know():
    with translation.override("ar"):
        assert stored_text("Slot S-0900 is taken by another patient") == "Slot S-0900 is taken by another patient"
        assert stored_text("") == ""
        assert stored_text("100%% sure: %(x)s", {"y": 1}) == "100%% sure: %(x)s"


def test_status_labels_are_translated():
    from bookings.states import Status

    with translation.override("ar"):
        assert str(Status.AWAITING_PAYMENT.label) == "بانتظار الدفع"


def test_the_slip_opens_in_the_patients_language_whatever_the_staff_read(ops_client, partners):
    from bookings.models import Booking
    from partners.models import Partner

    booking = Booking.objects.create(
        partner=partners[Partner.Code.SANAR_VIDEO],
        reference="BK-900001",
        status="awaiting_payment",
        patient_name="نورة",
        patient_language="ar",
        payment_url="https://pay.sanar.example/p/1",
        amount="90.00",
        currency="SAR",
    )
    html = ops_client.get(reverse("bookings:handoff-slip", args=[booking.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    html = html.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "ر.س." in html  # the amount in Arabic's way
    staff_view = ops_client.get(reverse("bookings:handoff-slip", args=[booking.pk]) + "?language=es").content
    assert '<html lang="es" dir="ltr">' in staff_view.decode()
