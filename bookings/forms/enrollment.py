"""The Sandicare enrollment form (CONTRACT.md §4): program, service, patient, reason.

The program comes from the active Sandicare credential, never typed. The consultation
reason is required for General medicine and discarded for every other service, whatever
the browser sends.
"""

import re

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.language import portal_language
from bookings.forms.contact import DateOfBirthField, PatientLanguageField
from bookings.forms.emails import InternationalEmailField
from bookings.models import Booking
from partners.adapters.sandicare import SERVICES
from patients.models import Patient

GENERAL_MEDICINE = "general_medicine"
NO_PROGRAM_MESSAGE = gettext_lazy(
    "No Sandicare program is configured: a partner admin must add the Sandicare key and its programId."
)
# The partner's field names in /meetings/enroll and the form fields they belong to.
PARTNER_FIELDS = {
    "programId": "program_id",
    "service": "sandicare_service",
    "email": "email",
    "dateOfBirth": "patient_dob",
    "consultationReason": "consultation_reason",
}


class EnrollmentForm(forms.Form):
    """Field names match ``Booking`` fields: ``cleaned_data`` is what the draft stores."""

    program_id = forms.ChoiceField(label=gettext_lazy("Program"))
    sandicare_service = forms.ChoiceField(
        label=gettext_lazy("Service"),
        choices=[("", gettext_lazy("Choose a service")), *SERVICES.items()],
        widget=forms.Select(attrs={"data-reason-service": GENERAL_MEDICINE}),
    )
    email = InternationalEmailField(
        label=gettext_lazy("Patient email"),
        help_text=gettext_lazy("The email the patient registered with Sandicare."),
    )
    patient_dob = DateOfBirthField(
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("YYYY-MM-DD; Sandicare checks it against the subscription."),
        error_messages={"invalid": gettext_lazy("Enter the date of birth as YYYY-MM-DD.")},
    )
    consultation_reason = forms.CharField(
        label=gettext_lazy("Consultation reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "data-reason-field": ""}),
        help_text=gettext_lazy("Only for General medicine"),
    )
    patient_language = PatientLanguageField()
    # The directory entry the form was filled from, when staff chose a returning patient.
    patient = forms.ModelChoiceField(queryset=Patient.objects.all(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, programs: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient_language"].initial = portal_language(translation.get_language())
        field = self.fields["program_id"]
        field.choices = [(program, _("Program %(program)s") % {"program": program}) for program in programs]
        if not programs:
            field.choices = [("", _("No program configured"))]
            field.error_messages.update(required=NO_PROGRAM_MESSAGE, invalid_choice=NO_PROGRAM_MESSAGE)
        elif len(programs) == 1:
            # Nothing to choose: shown for information, and the posted value is ignored.
            field.initial = programs[0]
            field.disabled = True
            field.help_text = _("The program issued with the Sandicare key.")

    def clean_patient_dob(self):
        patient_dob = self.cleaned_data["patient_dob"]
        if patient_dob == timezone.localdate():  # later dates are refused by the field itself
            raise forms.ValidationError(_("The date of birth must be in the past."))
        return patient_dob

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sandicare_service") == GENERAL_MEDICINE:
            cleaned["consultation_reason"] = (cleaned.get("consultation_reason") or "").strip()
            if not cleaned["consultation_reason"] and "consultation_reason" not in self.errors:
                self.add_error("consultation_reason", _("Enter the reason for the consultation (General medicine)."))
        else:
            cleaned["consultation_reason"] = ""
        if not cleaned.get("patient_language"):
            # Not given: the draft keeps its language (the form's initial), else the staff's.
            cleaned["patient_language"] = self.initial.get("patient_language") or portal_language(
                translation.get_language()
            )
        return cleaned

    def selection(self) -> dict:
        """The cleaned values, as ``booking_update_selection`` stores them."""
        return {name: self.cleaned_data[name] for name in self.fields}

    @classmethod
    def data_from(cls, booking: Booking) -> dict:
        """Form data holding what the draft stores, to reopen it for changes."""
        data = {name: getattr(booking, name) for name in cls.base_fields}
        data["patient_dob"] = booking.patient_dob.isoformat() if booking.patient_dob else ""
        data["patient"] = booking.patient_id or ""
        return data

    def add_partner_error(self, message: str, *, field_hint: bool) -> None:
        """Show the partner's message next to the field it names, else above the form."""
        self.is_valid()  # the local checks first; the partner's message joins their errors
        field = partner_field(message) if field_hint else None
        if field and field in self.fields and not self.fields[field].disabled:
            self.add_error(field, message)
        else:
            self.add_error(None, message)


def partner_field(message: str) -> str | None:
    for partner_name, field in PARTNER_FIELDS.items():
        if re.search(rf"\b{partner_name}\b", message):
            return field
    return None


class HistorySearchForm(forms.Form):
    email = InternationalEmailField(label=gettext_lazy("Patient email"), required=False)
