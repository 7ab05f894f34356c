"""The bookings list's filters, search and sorting: one FilterSet for the page, the export and the API."""

import unicodedata
from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking
from bookings.states import Status
from config.stored_text import stored_text
from partners.models import Partner

SORT_FIELDS = {
    "created": "created_at",
    "appointment": "appointment_date",
    "amount": "amount",
    "status": "status",
    "reference": "reference",
    "partner": "partner__name",
}
# A date filter outside these years is a typo (the date input takes six-digit years); the last
# day of 9999 has no next day to end the "created to" range with, which was a 500.
FIRST_DATE, LAST_DATE = date(2000, 1, 1), date(2099, 12, 31)
DATE_INPUT = forms.DateInput(attrs={"type": "date", "min": FIRST_DATE.isoformat(), "max": LAST_DATE.isoformat()})
# The filters ``BookingDayTotal`` can answer (sorting changes no total).
DAY_TOTALS_FILTERS = ("partner", "status", "created_from", "created_to", "sort")
# How long the partner and "created by" choices are reused before they are read again.
CHOICES_CACHE_SECONDS = 60


def _partners() -> dict[str, tuple[int, str]]:
    """{code: (id, name)} of every partner."""

    def read() -> dict[str, tuple[int, str]]:
        return {code: (pk, name) for pk, code, name in Partner.objects.values_list("pk", "code", "name")}

    return cache.get_or_set("bookings:filter-choices:partners", read, CHOICES_CACHE_SECONDS)


def _partner_id(code: str) -> int | None:
    partner = _partners().get(code)
    return partner[0] if partner else None


def _creators() -> dict[str, int]:
    """{username: id} of everyone who has created a booking, by username."""

    def read() -> dict[str, int]:
        has_booked = Exists(Booking.objects.filter(created_by=OuterRef("pk")))
        creators = get_user_model().objects.filter(has_booked).order_by("username")
        return dict(creators.values_list("username", "pk"))

    return cache.get_or_set("bookings:filter-choices:creators", read, CHOICES_CACHE_SECONDS)


def partner_choices() -> list[tuple[str, str]]:
    labels = ((code, stored_text(name)) for code, (_pk, name) in _partners().items())
    return sorted(labels, key=lambda choice: choice[1])


def creator_choices() -> list[tuple[str, str]]:
    return [(username, username) for username in _creators()]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class BoundedDateField(forms.DateField):
    default_validators = [MinValueValidator(FIRST_DATE), MaxValueValidator(LAST_DATE)]


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class BookingFilter(django_filters.FilterSet):
    # Both filter on the booking's own id columns: a join to look the code or username up
    # made PostgreSQL misjudge how many bookings match and pick a slow plan.
    partner = django_filters.ChoiceFilter(
        method="filter_partner",
        choices=partner_choices,
        label=_("Partner / product"),
        empty_label=_("All partners"),
    )
    # distinct=False: status is a column of the booking, so no row can repeat. django-filter's
    # default (True) made every filtered page SELECT DISTINCT over all columns: at 100k bookings
    # the count and the page each read and de-duplicated every matching row (~35 ms each).
    # A lazy label of its own: the one django-filter derives from the model field is a string in the
    # language of the first request, and the form class is built once (get_form_class).
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, distinct=False, widget=forms.CheckboxSelectMultiple, label=_("Status")
    )
    created_from = BoundedDateFilter(
        method="filter_created_from", label=_("Created from"), widget=DATE_INPUT, help_text=_("Portal time zone")
    )
    created_to = BoundedDateFilter(method="filter_created_to", label=_("Created to (inclusive)"), widget=DATE_INPUT)
    appointment_from = BoundedDateFilter(
        field_name="appointment_date", lookup_expr="gte", label=_("Appointment from"), widget=DATE_INPUT
    )
    appointment_to = BoundedDateFilter(
        field_name="appointment_date", lookup_expr="lte", label=_("Appointment to (inclusive)"), widget=DATE_INPUT
    )
    created_by = django_filters.ChoiceFilter(
        method="filter_created_by",
        choices=creator_choices,
        label=_("Created by"),
        empty_label=_("Anyone"),
    )
    amount_min = django_filters.NumberFilter(field_name="amount", lookup_expr="gte", label=_("Amount from"))
    amount_max = django_filters.NumberFilter(field_name="amount", lookup_expr="lte", label=_("Amount to"))
    price_changed = django_filters.BooleanFilter(
        label=_("Price changed by the partner"),
        widget=forms.NullBooleanSelect,
        help_text=_("Booked at another amount than the one quoted at confirm"),
    )
    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        help_text=_("Portal reference, partner booking id, patient name, email or mobile"),
    )
    sort = django_filters.OrderingFilter(
        fields=tuple((field, name) for name, field in SORT_FIELDS.items()),
        label=_("Sort by"),
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Booking
        fields = ()

    def filter_partner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        partner_id = _partner_id(value)
        return queryset.filter(partner_id=partner_id) if partner_id else queryset.none()

    def filter_created_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        user_id = _creators().get(value)
        return queryset.filter(created_by_id=user_id) if user_id else queryset.none()

    def filter_created_from(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(created_at__gte=_day_start(value))

    def filter_created_to(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(created_at__lt=_day_start(value + timedelta(days=1)))

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Names and emails are stored NFC-normalised (bookings.forms.emails): search the same way.
        term = unicodedata.normalize("NFC", value.strip())
        if not term:
            return queryset
        condition = (
            Q(reference__iexact=term)
            | Q(upstream_booking_id__iexact=term)
            | Q(patient_name__icontains=term)
            | Q(guardian_name__icontains=term)
            | Q(email__icontains=term)
            | Q(mobile__icontains=term)
        )
        digits = "".join(ch for ch in term if ch.isdigit())
        if len(digits) >= 6 and digits == term.lstrip("+").replace(" ", ""):
            # A local number (0501234567) finds the stored E.164 one (+966501234567).
            condition |= Q(mobile__endswith=digits.lstrip("0"))
        return queryset.filter(condition)

    def get_form_class(self):
        # django-filter builds the form class on every request; its fields depend only on the
        # declared filters, so build it once (each form still gets its own copy of the fields).
        if "_form_class" not in type(self).__dict__:
            type(self)._form_class = super().get_form_class()
        return type(self)._form_class

    def day_totals_filter(self) -> Q | None:
        """The same selection over ``BookingDayTotal``, or None when a filter needs the bookings themselves.

        The day totals know each booking's partner, status, currency and creation day only.
        """
        if not self.is_valid():
            return None
        data = self.form.cleaned_data
        if any(data.get(name) not in (None, "", []) for name in data if name not in DAY_TOTALS_FILTERS):
            return None
        condition = Q()
        if data.get("partner"):
            partner_id = _partner_id(data["partner"])
            if partner_id is None:
                return None
            condition &= Q(partner_id=partner_id)
        if data.get("status"):
            condition &= Q(status__in=data["status"])
        if data.get("created_from"):
            condition &= Q(day__gte=data["created_from"])
        if data.get("created_to"):
            condition &= Q(day__lte=data["created_to"])
        return condition

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        ordering = [str(field) for field in queryset.query.order_by] or ["-created_at"]
        # A unique last key keeps pages stable when the sort column has ties.
        return queryset.order_by(*ordering, "-id")
