from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bookings.forms.contact import MobileField
from bookings.forms.emails import InternationalEmailField, normalize_email


class PatientRequestForm(forms.Form):
    """Who asks: the email or the mobile the patient gave (either, or both)."""

    email = InternationalEmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "off", "dir": "ltr"}),
    )
    mobile = MobileField(label=_("Mobile"), required=False)

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("email") and not cleaned.get("mobile"):
            raise ValidationError(_("Enter the patient's email or mobile."), code="required")
        return cleaned

    def query(self) -> dict[str, str]:
        """What the form found the patient by, for links to the exports and the erasure."""
        return {name: self.cleaned_data[name] for name in ("email", "mobile") if self.cleaned_data.get(name)}


class EraseForm(PatientRequestForm):
    """The erasure's confirmation; the email and mobile found come along as hidden fields."""

    confirm = forms.BooleanField(
        label=_("I checked that this is the patient who asked, and everything listed above is to be erased."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("email", "mobile"):
            self.fields[name].widget = forms.HiddenInput()
