"""Forms of the Sanar video consultation flow (the patient form is ``contact.PatientForm``).

Each form's ``selection()`` is what the step writes to the draft; choosing a different
speciality or doctor clears the choices that depended on the old one.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.forms import DraftForm
from partners.models import Doctor, Speciality

SLOT_CLEARED = {"slot_id": "", "appointment_date": None, "appointment_time": ""}
DOCTOR_CLEARED = {"doctor_id": "", "doctor_name": "", "amount": None, "currency": "", **SLOT_CLEARED}


class SpecialityForm(DraftForm):
    speciality_id = forms.ModelChoiceField(
        label=_("Speciality"),
        queryset=Speciality.objects.filter(is_active=True),
        to_field_name="speciality_id",
        error_messages={"invalid_choice": _("This speciality is no longer offered. Choose another one.")},
    )

    def selection(self) -> dict:
        speciality = self.cleaned_data["speciality_id"]
        fields = {"speciality_id": speciality.speciality_id, "speciality_name": speciality.name}
        if speciality.speciality_id != self.booking.speciality_id:
            fields.update(DOCTOR_CLEARED)
        return fields


class DoctorForm(DraftForm):
    doctor_id = forms.ModelChoiceField(
        label=_("Doctor"),
        queryset=Doctor.objects.none(),
        to_field_name="doctor_id",
        error_messages={
            "invalid_choice": _("This doctor is no longer listed for this speciality. Choose another one.")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doctor_id"].queryset = Doctor.objects.filter(
            is_active=True, speciality__speciality_id=self.booking.speciality_id
        )

    def selection(self) -> dict:
        doctor = self.cleaned_data["doctor_id"]
        fields = {
            "doctor_id": doctor.doctor_id,
            "doctor_name": doctor.name,
            "amount": doctor.price_amount,
            "currency": doctor.price_currency,
        }
        if doctor.doctor_id != self.booking.doctor_id:
            fields.update(SLOT_CLEARED)
        return fields
