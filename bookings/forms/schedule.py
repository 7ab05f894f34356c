"""Choosing a day and a slot: the booking horizon and the forms of the live-slots pattern.

The horizon is ``settings.BOOKING_HORIZON_DAYS`` days starting today (local time): with
the default 30, today and the next 29 days, the days partners publish slots for.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def date_choices(today: datetime.date | None = None) -> list[datetime.date]:
    """Every day staff may book: today .. today + BOOKING_HORIZON_DAYS - 1."""
    today = today or timezone.localdate()
    return [today + datetime.timedelta(days=offset) for offset in range(settings.BOOKING_HORIZON_DAYS)]


def default_day(chosen: datetime.date | None, today: datetime.date | None = None) -> datetime.date:
    """The day a slot page opens on: the one already chosen if still bookable, else today."""
    days = date_choices(today)
    return chosen if chosen in days else days[0]


class AppointmentDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        days = date_choices()
        context["widget"]["attrs"].update(min=days[0].isoformat(), max=days[-1].isoformat())
        return context


class AppointmentDateField(forms.DateField):
    widget = AppointmentDateInput

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        days = date_choices()
        if value < days[0]:
            raise ValidationError(_("Choose today or a later day."), code="past")
        if value > days[-1]:
            raise ValidationError(
                _("Bookings open %(days)d days ahead: choose a day until %(last_day)s.")
                % {"days": len(days), "last_day": date_format(days[-1])},
                code="too_far",
            )


class DayForm(forms.Form):
    """The day whose slots to show (``?date=``), from the date picker."""

    date = AppointmentDateField(label=gettext_lazy("Day"))


class SlotChoiceForm(forms.Form):
    """A slot staff clicked. The slot itself is checked against the live answer by ``check_slot``."""

    appointment_date = AppointmentDateField()
    slot_id = forms.CharField(max_length=64)

    @property
    def schedule(self) -> str:
        """Whose slot it is when a day shows several schedules; a form posting a provider says which."""
        return ""

    def check_slot(self, slots, *, taken_ids=()):
        """The chosen slot from the live list, or None with an error added to the form."""
        slot_id = self.cleaned_data["slot_id"]
        slot = next((slot for slot in slots if slot.slot_id == slot_id), None)
        if slot is None:
            self.add_error("slot_id", _("This slot is not offered that day any more. Choose another one."))
            return None
        if not slot.available or slot_id in taken_ids:
            self.add_error("slot_id", _("This slot was just taken. Choose another one."))
            return None
        return slot


@dataclass(frozen=True)
class SlotRow:
    """One slot as the slots fragment shows it."""

    slot_id: str
    time: str
    taken: bool
    selected: bool


def slot_rows(slots, *, taken_ids=(), selected_id: str = "") -> list[SlotRow]:
    """The live slots for display: taken ones (by the partner or by an earlier attempt) not clickable."""
    return [
        SlotRow(
            slot_id=slot.slot_id,
            time=slot.time,
            taken=not slot.available or slot.slot_id in taken_ids,
            selected=slot.slot_id == selected_id,
        )
        for slot in sorted(slots, key=lambda slot: slot.time)
    ]


@dataclass(frozen=True)
class SlotGroup:
    """The slots of one schedule (a doctor, a provider) for one day.

    ``hidden`` are extra (name, value) pairs posted with the chosen slot, e.g.
    ``(("provider_id", "PRV-RUH-01"),)`` when a day shows several providers.
    """

    rows: list[SlotRow]
    title: str = ""
    subtitle: str = ""
    hidden: tuple[tuple[str, str], ...] = ()
