"""The video flow's speciality and doctor forms: what a choice writes to the draft."""

from decimal import Decimal

import pytest

from bookings.forms.video import DoctorForm, SpecialityForm
from bookings.models import Booking
from tests.bookings.views.video_support import make_catalogue

pytestmark = pytest.mark.django_db


def test_a_new_speciality_clears_what_depended_on_the_old_one():
    make_catalogue()
    booking = Booking(speciality_id="DP34", doctor_id="EMP86190", slot_id="S-0900")
    form = SpecialityForm({"speciality_id": "DP12"}, booking=booking)
    assert form.is_valid()
    assert form.selection() == {
        "speciality_id": "DP12",
        "speciality_name": "Pediatrics",
        "doctor_id": "",
        "doctor_name": "",
        "amount": None,
        "currency": "",
        "slot_id": "",
        "appointment_date": None,
        "appointment_time": "",
    }


def test_the_doctor_brings_its_price():
    make_catalogue()
    form = DoctorForm({"doctor_id": "EMP86190"}, booking=Booking(speciality_id="DP34", doctor_id="EMP86190"))
    assert form.is_valid()
    assert form.selection() == {
        "doctor_id": "EMP86190",
        "doctor_name": "Dr. Prince George",
        "amount": Decimal("90.00"),
        "currency": "SAR",
    }


def test_inactive_doctors_cannot_be_chosen():
    catalogue = make_catalogue()
    catalogue["family"].doctors.filter(doctor_id="EMP86190").update(is_active=False)
    form = DoctorForm({"doctor_id": "EMP86190"}, booking=Booking(speciality_id="DP34"))
    assert not form.is_valid()
