"""Forms of the Sanar kids vaccination flow (the age groups the child has to fit: ``bookings.ages``).

Each form's ``selection()`` is what its step writes to the draft; choosing other services,
another place or day clears the provider and slot that depended on them.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookings.ages import age_groups_no_child_fits, age_problems
from bookings.forms import DraftForm
from bookings.forms.contact import PatientForm, normalize_name
from bookings.forms.schedule import AppointmentDateField, SlotChoiceForm
from partners.catalogue.vaccination import offered_services, selected_services
from partners.models import VaccinationService

PROVIDER_CLEARED = {"provider_id": "", "provider_name": "", "slot_id": "", "appointment_time": ""}
CHILD_FIELDS = ("patient_name", "patient_dob", "patient_gender", "guardian_name", "mobile", "email")


def child_is_done(booking) -> bool:
    """The child and guardian are complete and the child fits the chosen services on the day."""
    if not all(getattr(booking, name) for name in CHILD_FIELDS):
        return False
    return not age_problems(booking.patient_dob, selected_services(booking.service_ids), booking.appointment_date)


def total_price(services) -> dict:
    """The visit's price: the services' prices added up when all are known in one currency."""
    currencies = {service.price_currency for service in services}
    if not services or len(currencies) != 1 or any(service.price_amount is None for service in services):
        return {"amount": None, "currency": ""}
    return {"amount": sum((service.price_amount for service in services), Decimal(0)), "currency": currencies.pop()}


# --- 1. services ---------------------------------------------------------------------------


class ServicesForm(DraftForm):
    service_ids = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Services"),
        queryset=VaccinationService.objects.none(),
        to_field_name="service_id",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Choose at least one service."),
            "invalid_choice": gettext_lazy("%(value)s is no longer offered. Choose among the services listed."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_ids"].queryset = offered_services()

    def clean_service_ids(self):
        services = list(self.cleaned_data["service_ids"])
        if groups := age_groups_no_child_fits(services):
            names = ", ".join(f"{service.name} ({group.label})" for service, group in groups)
            raise ValidationError(
                _("No child fits all of these age groups: %(groups)s. Book them as separate visits.")
                % {"groups": names},
                code="ages",
            )
        return services

    def selection(self) -> dict:
        services = self.cleaned_data["service_ids"]
        ids = [service.service_id for service in services]
        fields = {"service_ids": ids, "service_names": [service.name for service in services], **total_price(services)}
        if set(ids) != set(self.booking.service_ids or []):
            fields.update(PROVIDER_CLEARED)  # another provider may be needed for them
        return fields


# --- 3. where and when ---------------------------------------------------------------------


def city_coordinates(city: str) -> tuple[float, float] | None:
    return settings.CLINIC_CITY_COORDINATES.get(city)


class WhereForm(DraftForm):
    appointment_date = AppointmentDateField(label=gettext_lazy("Day"))
    city = forms.ChoiceField(label=gettext_lazy("City"))
    address = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Optional: street and district, for the provider's directions."),
    )
    lat = forms.FloatField(label=gettext_lazy("Latitude"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=gettext_lazy("Longitude"), required=False, min_value=-180, max_value=180)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [(city, city) for city in settings.CLINIC_CITIES]
        self.fields["lng"].help_text = _(
            "Optional: leave both coordinates blank to search around the city centre (%(city)s: the clinic)."
        ) % {"city": settings.CLINIC_DEFAULT_CITY}

    @staticmethod
    def initial_for(booking) -> dict:
        """The draft's place and day; the clinic's city and today for a new draft."""
        stored = booking.location or {}
        city = stored.get("city") or settings.CLINIC_DEFAULT_CITY
        lat, lng = stored.get("lat"), stored.get("lng")
        if (lat, lng) == city_coordinates(city):
            lat = lng = None  # the city's default: leave the fields blank, so another city gets its own
        return {
            "appointment_date": booking.appointment_date or timezone.localdate(),
            "city": city,
            "address": stored.get("address", ""),
            "lat": lat,
            "lng": lng,
        }

    def clean(self):
        cleaned = super().clean()
        lat, lng = cleaned.get("lat"), cleaned.get("lng")
        if (lat is None) != (lng is None) and not self.has_error("lat") and not self.has_error("lng"):
            missing = "lng" if lng is None else "lat"
            self.add_error(missing, _("Enter both coordinates, or leave both blank."))
        elif lat is None and lng is None and cleaned.get("city"):
            default = city_coordinates(cleaned["city"])
            if default is None:
                self.add_error(
                    "lat",
                    _("No default location is set for %(city)s: enter its coordinates.") % {"city": cleaned["city"]},
                )
            else:
                cleaned["lat"], cleaned["lng"] = default
        return cleaned

    def selection(self) -> dict:
        data = self.cleaned_data
        location = {"city": data["city"], "lat": data["lat"], "lng": data["lng"], "address": data["address"].strip()}
        fields = {"location": location, "appointment_date": data["appointment_date"]}
        if location != self.booking.location or data["appointment_date"] != self.booking.appointment_date:
            fields.update(PROVIDER_CLEARED)
        return fields


# --- 4. provider slot ----------------------------------------------------------------------


class ProviderSlotForm(SlotChoiceForm):
    """A slot of one provider: slot ids repeat across providers, so the provider comes with it."""

    provider_id = forms.CharField(max_length=64)

    @property
    def schedule(self) -> str:
        return self.cleaned_data.get("provider_id", "")


# --- 5. child and guardian -----------------------------------------------------------------


class ChildGuardianForm(PatientForm):
    """The child is the patient; the mobile and email are the guardian's (the payment link goes there)."""

    guardian_name = forms.CharField(
        label=gettext_lazy("Guardian's full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = [
        "patient_name",
        "patient_dob",
        "patient_gender",
        "guardian_name",
        "mobile",
        "email",
        "patient_language",
    ]

    def __init__(self, *args, services=(), appointment_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.services, self.appointment_date = list(services), appointment_date
        for name, label in [
            ("patient_name", _("Child's full name")),
            ("patient_dob", _("Child's date of birth")),
            ("patient_gender", _("Child's gender")),
            ("mobile", _("Guardian's mobile")),
            ("email", _("Guardian's email")),
            ("patient_language", _("Guardian's language")),
        ]:
            self.fields[name].label = label
        self.fields["patient_name"].widget.attrs["autocomplete"] = "off"
        groups = [f"{service.name}: {service.age_group}" for service in self.services if service.age_group]
        if groups and appointment_date:
            self.fields["patient_dob"].help_text = _("Age on %(day)s: %(groups)s.") % {
                "day": date_format(appointment_date),
                "groups": "; ".join(groups),
            }

    def clean_guardian_name(self):
        return normalize_name(self.cleaned_data["guardian_name"])

    def clean_patient_dob(self):
        dob = self.cleaned_data["patient_dob"]
        problems = age_problems(dob, self.services, self.appointment_date)
        if problems:
            raise ValidationError(problems, code="age_group")
        return dob
