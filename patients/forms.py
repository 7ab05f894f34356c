from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.forms.contact import DateOfBirthField, MobileField, normalize_name
from bookings.forms.emails import InternationalEmailField
from bookings.models import Booking
from patients.models import Patient
from patients.services import EDITABLE_FIELDS


class PatientForm(forms.ModelForm):
    mobile = MobileField(label=_("Mobile"), required=False)
    email = InternationalEmailField(label=_("Email"), required=False)
    date_of_birth = DateOfBirthField(required=False)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Booking.Gender.choices, required=False, widget=forms.RadioSelect
    )

    class Meta:
        model = Patient
        fields = EDITABLE_FIELDS
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "preferred_channel": forms.RadioSelect,
        }

    def clean_full_name(self):
        return normalize_name(self.cleaned_data["full_name"])

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("preferred_channel")
        if channel == Patient.Channel.EMAIL and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Add an email address, or choose another channel."))
        wants_mobile = channel in (Patient.Channel.SMS, Patient.Channel.WHATSAPP)
        if wants_mobile and not cleaned.get("mobile") and "mobile" not in self.errors:
            self.add_error("mobile", _("Add a mobile number, or choose email."))
        return cleaned


class PatientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a patient"),
        required=False,
        max_length=150,
        help_text=_("Mobile, email or name."),
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )


class SaveTypedPatientForm(forms.Form):
    """A patient typed on a booking, saved to the directory: what the booking does not hold."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    consents_to_messages = forms.BooleanField(
        label=_("The patient agrees to receive messages (the link, reminders)"), required=False
    )
    preferred_channel = forms.ChoiceField(label=_("Preferred channel"), widget=forms.RadioSelect)

    def __init__(self, *args, booking: Booking, **kwargs):
        super().__init__(*args, **kwargs)
        reachable = [Patient.Channel.EMAIL] if booking.email else []
        if booking.mobile:
            reachable = [Patient.Channel.SMS, Patient.Channel.WHATSAPP, *reachable]
        self.fields["preferred_channel"].choices = [(c, Patient.Channel(c).label) for c in reachable]
        self.fields["preferred_channel"].initial = reachable[0] if reachable else None
        self.fields["full_name"].initial = booking.patient_name
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"

    def clean_full_name(self):
        return normalize_name(self.cleaned_data["full_name"])
