"""The kids vaccination forms: services, place and day, child and guardian."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from bookings.forms.vaccination import (
    ChildGuardianForm,
    ProviderSlotForm,
    ServicesForm,
    WhereForm,
    total_price,
)
from bookings.models import Booking
from tests.bookings.views.vaccination_support import CHILD, RIYADH, make_catalogue, tomorrow

DAY = datetime.date(2026, 11, 23)


def service(name="MMR", age_group="1-6 years", price="150.00", currency="SAR"):
    return SimpleNamespace(
        name=name, age_group=age_group, price_amount=Decimal(price) if price else None, price_currency=currency
    )


# --- price ---------------------------------------------------------------------------------


def test_the_price_is_the_sum_when_every_service_has_one_in_the_same_currency():
    assert total_price([service(price="150.00"), service(price="95.50")]) == {
        "amount": Decimal("245.50"),
        "currency": "SAR",
    }


@pytest.mark.parametrize(
    "services", [[service(currency="SAR"), service(currency="USD")], [service(), service(price=None, currency="")], []]
)
def test_no_price_when_currencies_differ_or_one_is_unknown(services):
    assert total_price(services) == {"amount": None, "currency": ""}


# --- services ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_services_selection_brings_names_and_price_and_clears_the_provider():
    make_catalogue()
    booking = Booking(service_ids=["VAC-MMR"], provider_id="PRV-RUH-01", slot_id="S-0900", appointment_time="09:00")
    form = ServicesForm({"service_ids": ["VAC-MMR", "VAC-FLU"]}, booking=booking)
    assert form.is_valid(), form.errors
    assert form.selection() == {
        "service_ids": ["VAC-MMR", "VAC-FLU"],
        "service_names": ["MMR (measles, mumps, rubella)", "Seasonal influenza"],
        "amount": Decimal("245.00"),
        "currency": "SAR",
        "provider_id": "",
        "provider_name": "",
        "slot_id": "",
        "appointment_time": "",
    }


@pytest.mark.django_db
def test_the_same_services_keep_the_provider():
    make_catalogue()
    booking = Booking(service_ids=["VAC-FLU", "VAC-MMR"], provider_id="PRV-RUH-01")
    form = ServicesForm({"service_ids": ["VAC-MMR", "VAC-FLU"]}, booking=booking)
    assert form.is_valid()
    assert "provider_id" not in form.selection()


@pytest.mark.django_db
def test_services_no_child_can_fit_together_are_refused():
    make_catalogue()
    form = ServicesForm({"service_ids": ["VAC-HEPB", "VAC-DTAP"]}, booking=Booking())
    assert not form.is_valid()
    assert "No child fits all of these age groups" in form.errors["service_ids"][0]
    assert "Hepatitis B (birth dose) (0-2 years)" in form.errors["service_ids"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("ids", [["VAC-HEPB", "VAC-MMR"], ["VAC-HEPB", "VAC-CONS"], ["VAC-DTAP", "VAC-FLU"]])
def test_overlapping_age_groups_are_accepted(ids):
    make_catalogue()
    assert ServicesForm({"service_ids": ids}, booking=Booking()).is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize("ids, reason", [([], "Choose at least one service."), (["VAC-OLD"], "no longer offered")])
def test_no_service_or_a_retired_one_is_refused(ids, reason):
    make_catalogue()
    form = ServicesForm({"service_ids": ids}, booking=Booking())
    assert not form.is_valid()
    assert reason in form.errors["service_ids"][0]


# --- where and when ------------------------------------------------------------------------


def where(**data):
    return {"appointment_date": tomorrow().isoformat(), "city": "Riyadh", "address": "", "lat": "", "lng": "", **data}


def test_blank_coordinates_take_the_city_centre(settings):
    form = WhereForm(where(city="Jeddah", address="  Al Rawdah "), booking=Booking())
    assert form.is_valid(), form.errors
    selection = form.selection()
    assert selection["location"] == {"city": "Jeddah", "lat": 21.4858, "lng": 39.1925, "address": "Al Rawdah"}
    assert selection["appointment_date"] == tomorrow()
    assert selection["provider_id"] == ""  # a new place: providers have to be found again


def test_the_default_city_is_the_clinics_location(settings):
    settings.CLINIC_CITY_COORDINATES = {**settings.CLINIC_CITY_COORDINATES, "Riyadh": (24.70, 46.70)}
    form = WhereForm(where(), booking=Booking())
    assert form.is_valid()
    assert (form.cleaned_data["lat"], form.cleaned_data["lng"]) == (24.70, 46.70)


def test_typed_coordinates_are_kept():
    form = WhereForm(where(lat="24.8", lng="46.61"), booking=Booking())
    assert form.is_valid()
    assert form.selection()["location"]["lat"] == 24.8


@pytest.mark.parametrize(
    "data, field, reason",
    [
        ({"lat": "24.8"}, "lng", "Enter both coordinates"),
        ({"lng": "46.6"}, "lat", "Enter both coordinates"),
        ({"lat": "124", "lng": "46.6"}, "lat", "less than or equal to 90"),
        ({"city": "Mecca"}, "city", "Select a valid choice"),
        ({"appointment_date": "2020-01-01"}, "appointment_date", "today or a later day"),
    ],
)
def test_a_place_or_day_that_cannot_be_searched_is_explained(data, field, reason):
    form = WhereForm(where(**data), booking=Booking())
    assert not form.is_valid()
    assert reason in form.errors[field][0]


def test_a_city_without_default_coordinates_needs_them_typed(settings):
    settings.CLINIC_CITIES = ["Riyadh", "Abha"]
    form = WhereForm(where(city="Abha"), booking=Booking())
    assert not form.is_valid()
    assert "No default location is set for Abha" in form.errors["lat"][0]


def test_the_same_place_and_day_keep_the_provider():
    booking = Booking(location=RIYADH, appointment_date=tomorrow(), provider_id="PRV-RUH-01")
    form = WhereForm(where(), booking=booking)
    assert form.is_valid()
    assert "provider_id" not in form.selection()


def test_initial_values_leave_the_city_centre_blank_and_show_typed_coordinates():
    assert WhereForm.initial_for(Booking(location=RIYADH))["lat"] is None
    typed = WhereForm.initial_for(Booking(location={**RIYADH, "lat": 24.8, "lng": 46.61}))
    assert (typed["lat"], typed["lng"]) == (24.8, 46.61)
    new = WhereForm.initial_for(Booking())
    assert (new["city"], new["appointment_date"]) == ("Riyadh", timezone.localdate())


def test_the_provider_comes_with_the_slot():
    form = ProviderSlotForm(
        {"appointment_date": tomorrow().isoformat(), "slot_id": "S-0900", "provider_id": "PRV-RUH-02"}
    )
    assert form.is_valid()
    assert form.schedule == "PRV-RUH-02"
    assert not ProviderSlotForm({"appointment_date": tomorrow().isoformat(), "slot_id": "S-0900"}).is_valid()


# --- child and guardian --------------------------------------------------------------------


def child(**data):
    return {**CHILD, "mobile": "0501234567", "patient_dob": CHILD["patient_dob"].isoformat(), **data}


def test_child_and_guardian_are_normalised():
    form = ChildGuardianForm(child(guardian_name="  Huda   Saleh "), services=[service()], appointment_date=DAY)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["guardian_name"] == "Huda Saleh"
    assert form.cleaned_data["mobile"] == "+966501234567"
    assert list(form.fields)[:4] == ["patient_name", "patient_dob", "patient_gender", "guardian_name"]


def test_the_date_of_birth_must_fit_every_age_group():
    services = [service("MMR", "1-6 years"), service("Hepatitis B", "0-2 years")]
    form = ChildGuardianForm(child(patient_dob="2022-01-10"), services=services, appointment_date=DAY)
    assert not form.is_valid()
    assert form.errors["patient_dob"] == [
        "Hepatitis B is for children aged 0-2 years; on Monday 23 November 2026 this child will be 4 years."
    ]
    assert "MMR: 1-6 years; Hepatitis B: 0-2 years" in form.fields["patient_dob"].help_text


def test_without_age_groups_any_past_date_is_accepted_but_not_a_future_one():
    form = ChildGuardianForm(child(patient_dob="1990-05-17"), services=[service(age_group="")], appointment_date=DAY)
    assert form.is_valid()
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    form = ChildGuardianForm(child(patient_dob=future), services=[service(age_group="")], appointment_date=DAY)
    assert "cannot be in the future" in form.errors["patient_dob"][0]
