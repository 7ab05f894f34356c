"""Partner answers of CONTRACT.md's status table that play out in the kids vaccination flow's own way.

The pages talk to the partner simulator over real HTTP; the send runs ``booking_send`` in the
test (tests/integration/ sends through a Celery worker). The answers both Sanar flows meet
alike are in test_flow_outcomes.py.
"""

import re

import pytest
from django.urls import reverse

from bookings.states import Status
from partner_simulator import demo_keys
from partners.models import VaccinationService
from tests.bookings.views.flow_cases import VACCINATION, book_and_send, status_page
from tests.bookings.views.vaccination_support import (
    CHILD,
    free_slots,
    tomorrow,
    url,
    walk_to_confirm,
)

pytestmark = pytest.mark.django_db
BOOK = "sanar_vaccination.book"
BROWSE = "sanar_vaccination.browse"


@pytest.fixture
def flow():
    return VACCINATION


# --- 1000 ----------------------------------------------------------------------------------


def test_success_shows_the_payment_link_and_sends_child_guardian_and_place(
    ops_client, synced_catalogue, partner_simulator
):
    booking = book_and_send(ops_client, VACCINATION, walk_to_confirm(ops_client))
    assert booking.status == Status.AWAITING_PAYMENT
    assert booking.payment_url.startswith("https://")
    assert (str(booking.amount), booking.currency) == ("245.00", "SAR")
    page = status_page(ops_client, booking)
    assert booking.payment_url in page and "Copy link" in page and "Printable slip" in page
    assert url("handoff-qr", booking) in page
    slip = ops_client.get(url("handoff-slip", booking)).content.decode()
    assert "MMR (measles, mumps, rubella), Seasonal influenza" in slip and booking.provider_name in slip

    sent = partner_simulator.received(BOOK)[-1]["json"]
    assert sent["prd_id"] == demo_keys.SANAR_PRODUCT_CODE
    assert sent["services"] == ["VAC-MMR", "VAC-FLU"]
    assert (sent["provider_id"], sent["slot_id"]) == (booking.provider_id, booking.slot_id)
    assert sent["location"] == {"city": "Riyadh", "lat": 24.7136, "lng": 46.6753}
    assert sent["child"] == {"name": "Omar Saleh", "dob": CHILD["patient_dob"].isoformat(), "gender": "Male"}
    assert sent["guardian"] == {"name": "Huda Saleh", "mobile": "+966501234567", "email": "huda@example.org"}
    browsed = partner_simulator.received(BROWSE)[-1]["json"]
    assert browsed["services"] == ["VAC-MMR", "VAC-FLU"] and browsed["date"] == tomorrow().isoformat()


# --- 1004 ----------------------------------------------------------------------------------


def test_1004_on_book_refreshes_the_services_and_sends_staff_back_to_them(
    ops_client, synced_catalogue, partner_simulator
):
    partner_simulator.inject(BOOK, "1004")
    booking = book_and_send(ops_client, VACCINATION, walk_to_confirm(ops_client))
    assert booking.status == Status.FAILED
    assert url("vaccination-services", booking) in status_page(ops_client, booking)

    services_calls = len(partner_simulator.received("sanar_vaccination.services"))
    page = ops_client.get(url("vaccination-services", booking)).content.decode()
    assert len(partner_simulator.received("sanar_vaccination.services")) == services_calls + 1
    assert page.count("no longer knows part of this booking") == 1
    assert "The list was refreshed: choose again" in page and "The services were refreshed" not in page
    ops_client.get(url("vaccination-services", booking))  # a reload does not refresh again
    assert len(partner_simulator.received("sanar_vaccination.services")) == services_calls + 1

    response = ops_client.post(url("vaccination-services", booking), {"service_ids": ["VAC-FLU"]})
    assert response.url == url("vaccination-details", booking)
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT and booking.provider_id == "" and booking.slot_id == ""


def test_1004_on_browse_resyncs_the_services_and_lands_on_them_with_a_message(
    ops_client, synced_catalogue, partner_simulator
):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject(BROWSE, "1004")
    services_calls = len(partner_simulator.received("sanar_vaccination.services"))
    response = ops_client.get(url("vaccination-slot", booking), follow=True)
    assert response.redirect_chain[-1][0] == url("vaccination-services", booking)
    page = response.content.decode()
    assert "Sanar no longer knows part of this selection (" in page
    assert "The services were refreshed: choose them again." in page
    assert len(partner_simulator.received("sanar_vaccination.services")) == services_calls + 1


def test_1004_on_details_retires_the_service_and_goes_back_to_services(ops_client, synced_catalogue, partner_simulator):
    booking = walk_to_confirm(ops_client)
    VaccinationService.objects.filter(service_id="VAC-FLU").update(details_synced_at=None)
    partner_simulator.inject("sanar_vaccination.details", "1004")
    response = ops_client.get(url("vaccination-details", booking), follow=True)
    assert response.redirect_chain[-1][0] == url("vaccination-services", booking)
    page = response.content.decode()
    assert "Sanar no longer offers Seasonal influenza" in page
    assert 'data-service="VAC-FLU"' not in page


# --- 1005 ----------------------------------------------------------------------------------


def test_1005_returns_to_slot_choice_with_that_slot_shown_taken(ops_client, synced_catalogue, partner_simulator):
    partner_simulator.inject(BOOK, "1005")
    booking = book_and_send(ops_client, VACCINATION, walk_to_confirm(ops_client))
    assert booking.status == Status.SLOT_UNAVAILABLE
    page = status_page(ops_client, booking)
    assert url("vaccination-slot", booking) in page and "Choose another slot" in page
    assert ops_client.get(reverse("bookings:resume", args=[booking.pk])).url == url("vaccination-slot", booking)
    assert ops_client.get(url("vaccination-confirm", booking)).url == url("vaccination-slot", booking)

    slots = ops_client.get(url("vaccination-slot", booking)).content.decode()
    assert "says the slot you chose is no longer available" in slots
    chosen_group = next(g for g in slots.split('class="slot-group"')[1:] if booking.provider_id in g)
    assert re.search(
        rf'value="{booking.slot_id}"[^>]*class="slot selected taken btn btn-outline-primary" disabled', chosen_group
    )
    refused = ops_client.post(
        url("vaccination-slot", booking),
        {"appointment_date": tomorrow().isoformat(), "provider_id": booking.provider_id, "slot_id": booking.slot_id},
    )
    assert "just taken" in refused.content.decode()

    provider_id, slot_id = next(
        s for s in free_slots(ops_client, booking, tomorrow()) if s != (booking.provider_id, booking.slot_id)
    )
    chosen = ops_client.post(
        url("vaccination-slot", booking),
        {"appointment_date": tomorrow().isoformat(), "provider_id": provider_id, "slot_id": slot_id},
    )
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT and (booking.provider_id, booking.slot_id) == (provider_id, slot_id)
    # The child and guardian are still complete: Continue goes straight to Confirm.
    assert chosen.url == url("vaccination-confirm", booking)
    assert ops_client.get(url("vaccination-child", booking)).status_code == 200
    assert book_and_send(ops_client, VACCINATION, booking).status == Status.AWAITING_PAYMENT


# --- 5000 ----------------------------------------------------------------------------------


def test_browsing_services_works_while_sanar_is_down(ops_client, synced_catalogue, partner_simulator):
    booking = walk_to_confirm(ops_client)
    for operation in ("services", "details"):
        partner_simulator.inject(f"sanar_vaccination.{operation}", "http_503", times=-1)
    response = ops_client.post(url("vaccination-refresh", booking), {"step": "details"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url("vaccination-details", booking)
    assert "could not be reached" in page and "The saved catalogue is still shown" in page
    assert "Bring the child&#x27;s vaccination card." in page
    services = ops_client.get(url("vaccination-services", booking)).content.decode()
    assert "Hepatitis B (birth dose)" in services and "Seasonal influenza" in services
