"""Patient and contact fields every booking flow asks for.

Field names match ``Booking`` fields, so ``form.cleaned_data`` goes straight into
``booking_update_selection``. Mobiles are stored in E.164; a local number (Saudi ``05…``,
Mexican ``55 1234 5678``) is read in the clinic's countries (``local_regions``). Names and
emails are kept as typed in any script, NFC-normalised.
"""

import datetime
import unicodedata

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.language import portal_language
from bookings.ages import age_label, age_on
from bookings.forms.emails import InternationalEmailField
from bookings.models import Booking

OLDEST_AGE_YEARS = 120


def local_regions() -> list[str]:
    """The countries whose numbers staff may type the local way, the clinic's own first."""
    return list(dict.fromkeys([settings.PHONE_DEFAULT_REGION, *settings.PHONE_LOCAL_REGIONS]))


def normalise_mobile(value: str, *, region: str | None = None) -> str:
    """A mobile number typed by staff → E.164 (``+966501234567``), or ValidationError.

    A number with its country code is read as such; a local one (``0501234567``, ``55 1234 5678``)
    is read in each of ``local_regions()`` in turn, and the first country it is valid in wins.
    """
    number = None
    for candidate_region in [region] if region else local_regions():
        try:
            candidate = phonenumbers.parse(value, candidate_region)
        except phonenumbers.NumberParseException:
            continue
        number = number or candidate
        if phonenumbers.is_valid_number(candidate):
            number = candidate
            break
    if number is None:
        raise ValidationError(_("Enter a mobile number, e.g. 05XXXXXXXX or +9665XXXXXXXX."), code="invalid_mobile")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "This is not a valid mobile number. Use the international format (+country code) "
                "for numbers outside Saudi Arabia and Mexico."
            ),
            code="invalid_mobile",
        )
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise ValidationError(
            _("This is a landline number; the patient needs a mobile to receive the link."), code="landline"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_name(value: str) -> str:
    """A name in any script, as typed: single spaces, NFC (one code point per accented letter)."""
    return unicodedata.normalize("NFC", " ".join(value.split()))


class MobileField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "Saudi (05XXXXXXXX) and Mexican (55 1234 5678) numbers may be typed the local way; "
                "others with their country code (+44…)."
            ),
        )
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"})
        )
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
    email = InternationalEmailField(label=gettext_lazy("Email"))
    patient_gender = GenderField(label=gettext_lazy("Gender"))
    patient_dob = DateOfBirthField()
    patient_language = PatientLanguageField()

    def clean_patient_name(self):
        return normalize_name(self.cleaned_data["patient_name"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("patient_language"):
            # Not given: the booking keeps its language (the form's initial), else the staff's.
            cleaned["patient_language"] = self.initial.get("patient_language") or portal_language(
                translation.get_language()
            )
        return cleaned
