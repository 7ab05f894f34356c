"""International patients: emails in any script (RFC 6531, IDN), names in any script, local phones."""

import unicodedata

import pytest
from django.urls import reverse

from bookings.forms.contact import PatientForm, normalise_mobile
from bookings.forms.emails import InternationalEmailField
from bookings.forms.enrollment import HistorySearchForm
from bookings.models import Booking
from bookings.states import Status
from bookings.templatetags.phones import display_phone
from partners.adapters.sandicare import enroll_payload

ACCENTED = "josé.núñez@example.mx"


@pytest.mark.parametrize(
    "typed",
    [
        ACCENTED,
        "maría@clínica.mx",  # IDN domain
        "أحمد@مثال.السعودية",  # Arabic local part and domain
        "用户@例子.广告",
        "sara@example.org",
        "first.o'neil+tag@sub.example.co.uk",
    ],
)
def test_international_addresses_are_accepted(typed):
    assert InternationalEmailField().clean(typed) == unicodedata.normalize("NFC", typed)


@pytest.mark.parametrize(
    "typed", ["sara@", "@example.org", "sara example@example.org", "josé..núñez@example.mx", "a\u0000b@example.org"]
)
def test_malformed_addresses_are_refused(typed):
    with pytest.raises(Exception, match="valid email"):
        InternationalEmailField().clean(typed)


def test_an_address_typed_decomposed_is_stored_composed():
    decomposed = unicodedata.normalize("NFD", ACCENTED)
    assert decomposed != ACCENTED
    assert InternationalEmailField().clean(f"  {decomposed} ") == ACCENTED


def test_the_email_input_is_text_so_the_browser_does_not_refuse_it():
    html = str(PatientForm()["email"])
    assert 'type="text"' in html and 'inputmode="email"' in html and 'dir="ltr"' in html


def test_names_in_any_script_are_kept_as_typed():
    form = PatientForm(
        data={
            "patient_name": "  عبد  الله\u0020الشمري ",
            "mobile": "0501234567",
            "email": ACCENTED,
            "patient_gender": "Male",
            "patient_dob": "1980-01-02",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["patient_name"] == "عبد الله الشمري"
    assert form.cleaned_data["email"] == ACCENTED


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("0501234567", "+966501234567", "050 123 4567"),  # Saudi, the local way
        ("55 1234 5678", "+525512345678", "+52 55 1234 5678"),  # Mexican, the local way
        ("+52 33 1234 5678", "+523312345678", "+52 33 1234 5678"),
        ("+44 7911 123456", "+447911123456", "+44 7911 123456"),
    ],
)
def test_phones_are_stored_e164_and_shown_national_for_the_clinics_country(typed, stored, shown):
    assert normalise_mobile(typed) == stored
    assert display_phone(stored) == shown


def test_the_history_search_accepts_an_accented_email():
    form = HistorySearchForm(data={"email": unicodedata.normalize("NFD", ACCENTED)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == ACCENTED


@pytest.mark.django_db
def test_the_accented_subscriber_is_enrolled_and_sent_as_typed(ops_client, sandicare_credential, partners):
    response = ops_client.post(
        reverse("bookings:enrollment-start"),
        {
            "program_id": "1002",
            "sandicare_service": "nutrition",
            "email": unicodedata.normalize("NFD", ACCENTED),
            "patient_dob": "1978-03-09",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get()
    assert booking.email == ACCENTED
    assert enroll_payload(booking)["email"] == ACCENTED
    history = ops_client.get(reverse("bookings:enrollment-history"), {"email": ACCENTED}).content.decode()
    assert ACCENTED in history
    assert booking.status == Status.QUEUED
