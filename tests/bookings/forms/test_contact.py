"""Patient and contact fields shared by the booking flows."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bookings.forms.contact import PatientForm, normalise_mobile


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("0501234567", "+966501234567"),
        ("050 123 4567", "+966501234567"),
        ("501234567", "+966501234567"),
        ("+966501234567", "+966501234567"),
        ("00966501234567", "+966501234567"),
        ("+44 7911 123456", "+447911123456"),
        ("+1 202 555 0143", "+12025550143"),
    ],
)
def test_mobiles_are_stored_in_e164(typed, stored):
    assert normalise_mobile(typed, region="SA") == stored


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("12345", "not a valid mobile"),
        ("hello", "Enter a mobile number"),
        ("+966 11 234 5678", "landline"),
        ("+96650123", "not a valid mobile"),
    ],
)
def test_invalid_mobiles_say_why(typed, reason):
    with pytest.raises(ValidationError) as error:
        normalise_mobile(typed, region="SA")
    assert reason in error.value.messages[0]


def test_the_default_region_comes_from_settings(settings):
    settings.PHONE_DEFAULT_REGION = "GB"
    assert normalise_mobile("07911 123456") == "+447911123456"


VALID = {
    "patient_name": "Sara Ali",
    "mobile": "0501234567",
    "email": "sara@example.org",
    "patient_gender": "Female",
    "patient_dob": "1990-05-17",
}


def test_a_valid_patient_cleans_to_booking_fields():
    form = PatientForm(VALID)
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "patient_name": "Sara Ali",
        "mobile": "+966501234567",
        "email": "sara@example.org",
        "patient_gender": "Female",
        "patient_dob": datetime.date(1990, 5, 17),
        "patient_language": "en",  # not posted: the language staff use
    }


@pytest.mark.parametrize(
    "field, value, reason",
    [
        ("patient_name", "", "required"),
        ("mobile", "", "required"),
        ("email", "sara@", "valid email"),
        ("patient_gender", "Other", "valid choice"),
        ("patient_dob", "2999-01-01", "cannot be in the future"),
        ("patient_dob", "1850-01-01", "over 120 years ago"),
        ("patient_dob", "17/05/1990x", "valid date"),
    ],
)
def test_each_invalid_field_says_why(field, value, reason):
    form = PatientForm({**VALID, field: value})
    assert not form.is_valid()
    assert reason in " ".join(form.errors[field])
    assert list(form.errors) == [field]


def test_the_date_of_birth_widget_shows_the_age_and_forbids_future_dates():
    html = str(PatientForm(initial={"patient_dob": datetime.date(1990, 5, 17)})["patient_dob"])
    assert 'type="date"' in html and 'max="' in html
    assert 'data-age-output="id_patient_dob-age"' in html
    assert '<output id="id_patient_dob-age" class="age" aria-live="polite">Age: ' in html


def test_the_age_follows_what_was_typed_even_when_invalid():
    bound = PatientForm({**VALID, "mobile": "x"})
    bound.is_valid()
    assert "Age: " in str(bound["patient_dob"])
    assert '<output id="id_patient_dob-age" class="age" aria-live="polite"></output>' in str(
        PatientForm({**VALID, "patient_dob": "garbage"})["patient_dob"]
    )
