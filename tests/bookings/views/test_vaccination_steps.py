"""The kids vaccination flow's own pages: each step's GET and POST.

What both Sanar flows do alike (access, start and resume, breadcrumb, reloads, Book) is in
test_flow_steps.py. The partner is mocked here (adapter functions);
tests/bookings/views/test_vaccination_outcomes.py walks the same pages against the simulator.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.adapters import sanar_vaccination
from partners.errors import NotFound, ServerError, Unauthorized
from partners.models import VaccinationService
from tests.bookings.views.flow_cases import VACCINATION
from tests.bookings.views.flow_support import field_errors
from tests.bookings.views.flow_support import url as step
from tests.bookings.views.vaccination_support import (
    CHILD,
    RIYADH,
    FakeBrowse,
    born_years_ago,
    make_catalogue,
    raising,
    tomorrow,
    vaccination_draft,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow():
    return VACCINATION


# --- 1. services ---------------------------------------------------------------------------


def test_services_show_price_age_group_and_the_catalogue_age(ops_client, operations_user, sanar_vaccination_credential):
    make_catalogue(synced_at=timezone.now() - datetime.timedelta(hours=3))
    booking = vaccination_draft(operations_user)
    page = ops_client.get(step("vaccination-services", booking)).content.decode()
    card = page.split('data-service="VAC-FLU"')[1].split("</li>")[0]
    assert "Seasonal influenza" in card and "6 months-18 years" in card and "SAR\xa095.00" in card
    assert "any age" in page.split('data-service="VAC-CONS"')[1].split("</li>")[0]
    assert "Retired vaccine" not in page
    assert "Sanar catalogue updated 3\xa0hours ago" in page
    assert reverse("bookings:vaccination-refresh", args=[booking.pk]) in page


def test_only_the_credentials_product_is_offered(ops_client, operations_user, catalogue):
    VaccinationService.objects.create(
        product_code="PRD-OTHER", service_id="VAC-X", name="Other product vaccine", synced_at=timezone.now()
    )
    page = ops_client.get(step("vaccination-services", vaccination_draft(operations_user))).content.decode()
    assert "Other product vaccine" not in page


def test_choosing_two_services_saves_them_with_the_total_and_shows_the_details(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user)
    response = ops_client.post(step("vaccination-services", booking), {"service_ids": ["VAC-MMR", "VAC-FLU"]})
    assert response.url == step("vaccination-details", booking)
    booking.refresh_from_db()
    assert booking.service_ids == ["VAC-MMR", "VAC-FLU"]
    assert booking.service_names == ["MMR (measles, mumps, rubella)", "Seasonal influenza"]
    assert (booking.amount, booking.currency) == (Decimal("245.00"), "SAR")


def test_chosen_services_are_checked_on_reload(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user, through="services")
    page = ops_client.get(step("vaccination-services", booking)).content.decode()
    assert re.search(r'value="VAC-MMR" checked', page) and re.search(r'value="VAC-FLU" checked', page)
    assert not re.search(r'value="VAC-HEPB" checked', page)


@pytest.mark.parametrize(
    "chosen, reason",
    [([], "Choose at least one service."), (["VAC-HEPB", "VAC-DTAP"], "No child fits all of these age groups")],
)
def test_an_impossible_choice_is_explained_and_kept(ops_client, operations_user, catalogue, chosen, reason):
    booking = vaccination_draft(operations_user)
    response = ops_client.post(step("vaccination-services", booking), {"service_ids": chosen})
    assert response.status_code == 200
    html = response.content.decode()
    assert reason in html
    for service_id in chosen:
        assert f'value="{service_id}" checked' in html
    booking.refresh_from_db()
    assert booking.service_ids == []


def test_other_services_clear_the_provider_and_slot(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user, through="slot")
    ops_client.post(step("vaccination-services", booking), {"service_ids": ["VAC-FLU"]})
    booking.refresh_from_db()
    assert (booking.provider_id, booking.slot_id, booking.appointment_time) == ("", "", "")
    assert booking.location == RIYADH and booking.amount == Decimal("95.00")


def test_an_empty_catalogue_is_fetched_on_first_use(
    ops_client, operations_user, sanar_vaccination_credential, monkeypatch
):
    listed = [sanar_vaccination.VaccinationService(id="VAC-FLU", name="Seasonal influenza", price=None, age_group="")]
    monkeypatch.setattr(sanar_vaccination, "services", lambda credential: listed)
    monkeypatch.setattr(sanar_vaccination, "details", raising(ServerError("down")))
    page = ops_client.get(step("vaccination-services", vaccination_draft(operations_user))).content.decode()
    assert "Seasonal influenza" in page and "not published" in page
    assert "Sanar could not be reached: details of VAC-FLU" in page


# --- 2. details ----------------------------------------------------------------------------


def test_details_show_what_to_read_to_the_guardian(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user, through="services")
    page = ops_client.get(step("vaccination-details", booking)).content.decode()
    section = page.split('data-service="VAC-MMR"')[1].split("</article>")[0]
    for text in [
        "MMR (measles, mumps, rubella)",
        "About MMR",
        "Vaccine dose",
        "Nurse visit",
        "vaccination card",
        "1-6 years",
    ]:
        assert text in section, text
    assert 'data-service="VAC-FLU"' in page and 'data-service="VAC-HEPB"' not in page
    assert step("vaccination-where", booking) in page


def test_details_not_mirrored_yet_are_fetched_now(ops_client, operations_user, catalogue, monkeypatch):
    VaccinationService.objects.filter(service_id="VAC-FLU").update(description="", details_synced_at=None)
    calls = []

    def details(credential, *, service_id):
        calls.append(service_id)
        return sanar_vaccination.ServiceDetails(
            id=service_id,
            name="Seasonal influenza",
            description="Fresh from Sanar.",
            inclusions=["Dose"],
            instructions=["Eat first."],
            price=None,
        )

    monkeypatch.setattr(sanar_vaccination, "details", details)
    booking = vaccination_draft(operations_user, through="services")
    page = ops_client.get(step("vaccination-details", booking)).content.decode()
    assert calls == ["VAC-FLU"]
    assert "Fresh from Sanar." in page and "Eat first." in page
    ops_client.get(step("vaccination-details", booking))
    assert calls == ["VAC-FLU"]  # mirrored now: not fetched again


def test_details_while_sanar_is_down_still_show_the_page(ops_client, operations_user, catalogue, monkeypatch):
    VaccinationService.objects.filter(service_id="VAC-FLU").update(details_synced_at=None)
    monkeypatch.setattr(sanar_vaccination, "details", raising(ServerError("down")))
    page = ops_client.get(
        step("vaccination-details", vaccination_draft(operations_user, through="services"))
    ).content.decode()
    assert "Sanar could not be reached" in page
    assert "The details have not come from Sanar yet" in page


def test_a_service_sanar_no_longer_offers_sends_back_to_services(ops_client, operations_user, catalogue, monkeypatch):
    VaccinationService.objects.filter(service_id="VAC-FLU").update(details_synced_at=None)
    monkeypatch.setattr(sanar_vaccination, "details", raising(NotFound("Service VAC-FLU not found")))
    booking = vaccination_draft(operations_user, through="services")
    response = ops_client.get(step("vaccination-details", booking), follow=True)
    assert response.redirect_chain[-1][0] == step("vaccination-services", booking)
    assert "Sanar no longer offers Seasonal influenza: choose the services again." in response.content.decode()


def test_details_are_read_only(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user, through="services")
    assert ops_client.post(step("vaccination-details", booking)).status_code == 405


# --- 3. where and when ---------------------------------------------------------------------


def where(**data):
    return {"appointment_date": tomorrow().isoformat(), "city": "Riyadh", "address": "", "lat": "", "lng": "", **data}


def test_where_opens_on_the_clinics_city_and_today(ops_client, operations_user, catalogue, settings):
    booking = vaccination_draft(operations_user, through="services")
    html = ops_client.get(step("vaccination-where", booking)).content.decode()
    assert re.search(r'<option value="Riyadh" selected>', html)
    assert '<option value="Jeddah">' in html and '<option value="Dammam">' in html
    assert f'value="{timezone.localdate().isoformat()}"' in html
    last = timezone.localdate() + datetime.timedelta(days=settings.BOOKING_HORIZON_DAYS - 1)
    assert f'max="{last.isoformat()}"' in html


def test_a_city_and_day_are_saved_with_its_coordinates(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user, through="services")
    response = ops_client.post(step("vaccination-where", booking), where(city="Jeddah", address="Al Rawdah"))
    assert response.url == step("vaccination-slot", booking)
    booking.refresh_from_db()
    assert booking.location == {"city": "Jeddah", "lat": 21.4858, "lng": 39.1925, "address": "Al Rawdah"}
    assert booking.appointment_date == tomorrow()


def test_invalid_place_is_explained_by_the_field_and_keeps_everything(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user, through="services")
    response = ops_client.post(
        step("vaccination-where", booking), where(address="Olaya St", lat="24.8", appointment_date="2001-01-01")
    )
    assert response.status_code == 200
    assert "Enter both coordinates" in field_errors(response, "lng")[0]
    assert "today or a later day" in field_errors(response, "appointment_date")[0]
    html = response.content.decode()
    assert 'value="Olaya St"' in html and 'value="24.8"' in html and 'value="2001-01-01"' in html
    booking.refresh_from_db()
    assert booking.location == {}


def test_where_is_prefilled_on_reload(ops_client, operations_user, catalogue):
    booking = vaccination_draft(
        operations_user, through="where", location={**RIYADH, "lat": 24.8, "lng": 46.61, "address": "Malqa"}
    )
    html = ops_client.get(step("vaccination-where", booking)).content.decode()
    assert 'value="24.8"' in html and 'value="46.61"' in html and 'value="Malqa"' in html


def test_another_place_clears_the_provider_and_slot(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user, through="slot")
    ops_client.post(step("vaccination-where", booking), where(city="Dammam"))
    booking.refresh_from_db()
    assert (booking.provider_id, booking.slot_id) == ("", "")
    assert booking.service_ids == ["VAC-MMR", "VAC-FLU"]


# --- 4. provider and slot ------------------------------------------------------------------


def test_slot_page_lists_the_providers_with_their_slots(ops_client, operations_user, catalogue, fake_read):
    booking = vaccination_draft(operations_user, through="where", appointment_date=tomorrow())
    page = ops_client.get(step("vaccination-slot", booking)).content.decode()
    call = fake_read.calls[-1]
    assert call["date"] == tomorrow() and call["service_ids"] == ["VAC-MMR", "VAC-FLU"]
    assert (call["location"].city, call["location"].lat, call["location"].lng) == ("Riyadh", 24.7136, 46.6753)
    groups = page.split('class="slot-group"')[1:]
    assert "Olaya Kids Clinic" in groups[0] and "Olaya Kids Clinic St, Riyadh · 2.1 km" in groups[0]
    assert 'name="provider_id" value="PRV-RUH-01"' in groups[0]
    assert re.search(r'value="S-1000"[^>]*class="slot taken btn btn-outline-primary" disabled', groups[0])
    assert "Malqa Family Vaccination Centre" in groups[1] and "12.4 km" in groups[1]
    assert re.search(r'value="S-1000"[^>]*class="slot btn btn-outline-primary"', groups[1])
    assert f'hx-get="{step("vaccination-slots", booking)}"' in page


def test_no_provider_that_day_is_said_plainly(
    ops_client, operations_user, catalogue, monkeypatch, sanar_vaccination_credential
):
    monkeypatch.setattr(sanar_vaccination, "browse", FakeBrowse(providers=[]))
    booking = vaccination_draft(operations_user, through="where")
    assert (
        "No provider near this place offers all the chosen services"
        in ops_client.get(step("vaccination-slot", booking)).content.decode()
    )


def test_choosing_a_providers_slot_saves_both(ops_client, operations_user, catalogue, fake_read):
    booking = vaccination_draft(operations_user, through="where")
    response = ops_client.post(
        step("vaccination-slot", booking),
        {"appointment_date": tomorrow().isoformat(), "provider_id": "PRV-RUH-02", "slot_id": "S-1000"},
    )
    assert response.url == step("vaccination-child", booking)
    booking.refresh_from_db()
    assert (booking.provider_id, booking.provider_name) == ("PRV-RUH-02", "Malqa Family Vaccination Centre")
    assert (booking.appointment_date, booking.slot_id, booking.appointment_time) == (tomorrow(), "S-1000", "10:00")
    assert len(fake_read.calls) == 1  # one /browse for the check and the save


@pytest.mark.parametrize(
    "provider_id, slot_id, reason",
    [
        ("PRV-RUH-01", "S-1000", "just taken"),
        ("PRV-RUH-01", "S-2300", "not offered"),
        ("PRV-GONE", "S-0900", "not offered"),
    ],
)
def test_a_taken_or_unknown_slot_is_refused(
    ops_client, operations_user, catalogue, fake_read, provider_id, slot_id, reason
):
    booking = vaccination_draft(operations_user, through="where")
    response = ops_client.post(
        step("vaccination-slot", booking),
        {"appointment_date": tomorrow().isoformat(), "provider_id": provider_id, "slot_id": slot_id},
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    booking.refresh_from_db()
    assert booking.slot_id == ""


def test_the_chosen_slot_is_selected_only_at_its_provider(ops_client, operations_user, catalogue, fake_read):
    booking = vaccination_draft(operations_user, through="slot")  # PRV-RUH-01, S-0930, tomorrow
    page = ops_client.get(step("vaccination-slot", booking)).content.decode()
    olaya, malqa = page.split('class="slot-group"')[1:]
    assert re.search(r'value="S-0930"[^>]*class="slot selected btn btn-outline-primary"', olaya)
    assert re.search(r'value="S-0930"[^>]*class="slot btn btn-outline-primary"', malqa)


def test_browse_1004_resyncs_the_services_and_goes_back_to_them(
    ops_client, operations_user, catalogue, monkeypatch, sanar_vaccination_credential
):
    monkeypatch.setattr(sanar_vaccination, "browse", FakeBrowse(error=NotFound("Service VAC-FLU not found")))
    synced = []
    monkeypatch.setattr(sanar_vaccination, "services", lambda credential: synced.append(1) or [])
    booking = vaccination_draft(operations_user, through="where")
    response = ops_client.get(step("vaccination-slot", booking), follow=True)
    assert response.redirect_chain[-1][0] == step("vaccination-services", booking)
    assert synced  # the services were fetched again
    assert "Service VAC-FLU not found" in response.content.decode()
    fragment = ops_client.get(
        step("vaccination-slots", booking), {"date": tomorrow().isoformat()}, headers={"HX-Request": "true"}
    )
    assert fragment["HX-Redirect"] == step("vaccination-services", booking)


def test_browse_failing_shows_a_message_never_a_500(
    ops_client, operations_user, catalogue, monkeypatch, sanar_vaccination_credential
):
    monkeypatch.setattr(sanar_vaccination, "browse", FakeBrowse(error=ServerError("Internal error")))
    booking = vaccination_draft(operations_user, through="where")
    response = ops_client.get(step("vaccination-slot", booking))
    assert response.status_code == 200
    assert "Sanar is not answering right now (Internal error)" in response.content.decode()


# --- 5. child and guardian -----------------------------------------------------------------


def child(**data):
    return {**CHILD, "mobile": "0501234567", "patient_dob": CHILD["patient_dob"].isoformat(), **data}


def test_child_and_guardian_are_saved_normalised(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user, through="slot")
    response = ops_client.post(step("vaccination-child", booking), child(patient_name="  Omar   Saleh "))
    assert response.url == step("vaccination-confirm", booking)
    booking.refresh_from_db()
    assert (booking.patient_name, booking.guardian_name, booking.mobile) == (
        "Omar Saleh",
        "Huda Saleh",
        "+966501234567",
    )
    assert booking.patient_dob == CHILD["patient_dob"]


def test_invalid_input_is_explained_by_each_field_and_nothing_is_lost(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user, through="slot")
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    data = child(mobile="12345", email="not-an-email", patient_dob=future, guardian_name="")
    response = ops_client.post(step("vaccination-child", booking), data)
    assert response.status_code == 200
    assert "valid mobile" in field_errors(response, "mobile")[0]
    assert field_errors(response, "email") and field_errors(response, "guardian_name")
    assert "cannot be in the future" in field_errors(response, "patient_dob")[0]
    html = response.content.decode()
    assert 'value="12345"' in html and 'value="not-an-email"' in html and f'value="{future}"' in html
    assert 'value="Omar Saleh"' in html and re.search(r'value="Male"[^>]*checked', html)
    booking.refresh_from_db()
    assert booking.patient_name == ""


def test_a_child_outside_the_age_group_is_explained(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user, through="slot")
    response = ops_client.post(step("vaccination-child", booking), child(patient_dob=born_years_ago(8).isoformat()))
    errors = field_errors(response, "patient_dob")
    assert errors == [
        f"MMR (measles, mumps, rubella) is for children aged 1-6 years; on {tomorrow():%A %-d %B %Y} this child will be 8 years."
    ]
    assert (
        "Age on" in response.content.decode()
        and "MMR (measles, mumps, rubella): 1-6 years" in response.content.decode()
    )


def test_a_service_without_age_group_takes_any_past_date(ops_client, operations_user, catalogue):
    booking = vaccination_draft(
        operations_user, through="slot", service_ids=["VAC-CONS"], service_names=["Vaccination record review"]
    )
    response = ops_client.post(step("vaccination-child", booking), child(patient_dob="2009-02-01"))
    assert response.url == step("vaccination-confirm", booking)


def test_services_changed_after_the_child_ask_for_the_child_again(ops_client, operations_user, catalogue):
    booking = vaccination_draft(operations_user, through="child", patient_dob=born_years_ago(1))
    ops_client.post(step("vaccination-services", booking), {"service_ids": ["VAC-DTAP"]})  # 4-6 years
    # Other services may need another provider: the place is kept, the provider and slot are chosen again.
    assert ops_client.get(reverse("bookings:resume", args=[booking.pk])).url == step("vaccination-slot", booking)
    booking = vaccination_draft(
        operations_user, through="child", patient_dob=born_years_ago(1), service_ids=["VAC-DTAP"]
    )
    assert ops_client.get(step("vaccination-confirm", booking)).url == step("vaccination-child", booking)


# --- 6. confirm ----------------------------------------------------------------------------


def test_confirm_shows_the_whole_visit(ops_client, complete_draft):
    html = ops_client.get(step("vaccination-confirm", complete_draft)).content.decode()
    for text in [
        'MMR (measles, mumps, rubella) · <bdi class="money">SAR\xa0150.00</bdi>',
        'Seasonal influenza · <bdi class="money">SAR\xa095.00</bdi>',
        "Olaya Kids Clinic",
        "09:30",
        "Riyadh",
        "SAR\xa0245.00",
        "Omar Saleh",
        "Huda Saleh",
        "050 123 4567",
        "huda@example.org",
        "Male",
        "(3 years)",
        'id="book-button"',
    ]:
        assert text in html, text


def test_a_partner_message_ending_in_a_full_stop_ends_the_sentence_once(
    ops_client, operations_user, sanar_vaccination_credential, monkeypatch
):
    denied = Unauthorized("Missing, invalid, or insufficient API key permissions.")
    monkeypatch.setattr(sanar_vaccination, "services", raising(denied))
    page = ops_client.get(step("vaccination-services", vaccination_draft(operations_user))).content.decode()
    assert "insufficient API key permissions." in page
    assert "permissions.." not in page
