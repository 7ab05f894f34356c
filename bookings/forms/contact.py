"""Patient and contact fields every booking flow asks for.

Field names match ``Booking`` fields, so ``form.cleaned_data`` goes straight into
``booking_update_selection``. Mobiles are stored in E.164; a Saudi local number
(``05…``) is read in ``settings.PHONE_DEFAULT_REGION``.
"""

import datetime

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookings.ages import age_label, age_on
from bookings.models import Booking

OLDEST_AGE_YEARS = 120


def normalise_mobile(value: str, *, region: str | None = None) -> str:
    """A mobile number typed by staff → E.164 (``+966501234567``), or ValidationError."""
    region = region or settings.PHONE_DEFAULT_REGION
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("Enter a mobile number, e.g. 05XXXXXXXX or +9665XXXXXXXX."), code="invalid_mobile"
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "This is not a valid mobile number. Use the international format (+country code) "
                "for numbers outside Saudi Arabia."
            ),
            code="invalid_mobile",
        )
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise ValidationError(
            _("This is a landline number; the patient needs a mobile to receive the link."), code="landline"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class MobileField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "help_text",
            gettext_lazy("Saudi numbers may be typed as 05XXXXXXXX; others with their country code (+44…)."),
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_mobile(value) if value else value


class DateOfBirthInput(forms.DateInput):
    """A date input followed by the age it gives (kept up to date by portal/flow.js)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "bday", **(attrs or {})}, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["max"] = timezone.localdate().isoformat()
        return context

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        output_id = f"{attrs.get('id') or 'id_' + name}-age"
        attrs["data-age-output"] = output_id
        attrs["data-age-label"] = _("Age: %(age)s")  # filled in by portal/flow.js as the date changes
        html = super().render(name, value, attrs, renderer)
        label = age_label(_as_date(value))
        return format_html(
            '{}<output id="{}" class="age" aria-live="polite">{}</output>',
            html,
            output_id,
            label and _("Age: %(age)s") % {"age": label},
        )


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


class DateOfBirthField(forms.DateField):
    widget = DateOfBirthInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Date of birth"))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if value > today:
            raise ValidationError(_("The date of birth cannot be in the future."), code="future")
        if age_on(value, today)[0] > OLDEST_AGE_YEARS:
            raise ValidationError(
                _("Check the year: that is over %(years)d years ago.") % {"years": OLDEST_AGE_YEARS}, code="too_old"
            )


class GenderField(forms.ChoiceField):
    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", Booking.Gender.choices)
        super().__init__(**kwargs)


class PatientLanguageField(forms.ChoiceField):
    """The language of the patient's slip and messages. Optional: left out, the booking keeps
    the one it has (the staff's language when it was started)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Patient's language"))
        kwargs.setdefault("choices", settings.LANGUAGES)
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", gettext_lazy("The printable slip and the patient's messages use it."))
        super().__init__(**kwargs)


class PatientForm(forms.Form):
    """The patient of a consultation: who they are and where the link goes."""

    patient_name = forms.CharField(
        label=gettext_lazy("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    mobile = MobileField(label=gettext_lazy("Mobile"))
    email = forms.EmailField(label=gettext_lazy("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    patient_gender = GenderField(label=gettext_lazy("Gender"))
    patient_dob = DateOfBirthField()
    patient_language = PatientLanguageField()

    def clean_patient_name(self):
        return " ".join(self.cleaned_data["patient_name"].split())

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("patient_language"):
            cleaned.pop("patient_language", None)  # not given: the booking keeps its language
        return cleaned
