"""Partner answers of CONTRACT.md's status table that play out in the video flow's own way.

The pages talk to the partner simulator over real HTTP; the send runs ``booking_send`` in the
test (tests/integration/ sends through a Celery worker). The answers both Sanar flows meet
alike are in test_flow_outcomes.py.
"""

import re

import pytest
from django.urls import reverse

from bookings.states import Status
from tests.bookings.views.flow_cases import VIDEO, book_and_send, status_page
from tests.bookings.views.video_support import free_slots, tomorrow, url, walk_to_confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow():
    return VIDEO


# --- 1000 ----------------------------------------------------------------------------------


def test_success_shows_the_payment_link(ops_client, synced_catalogue, partner_simulator):
    booking = book_and_send(ops_client, VIDEO, walk_to_confirm(ops_client))
    assert booking.status == Status.AWAITING_PAYMENT
    assert booking.payment_url.startswith("https://")
    page = status_page(ops_client, booking)
    assert booking.payment_url in page and "Copy link" in page and "Printable slip" in page
    assert url("handoff-qr", booking) in page
    sent = partner_simulator.received("sanar_video.book")[-1]["json"]
    assert sent["patient"]["mobile"] == "+966501234567"
    assert sent["doctor_id"] == "EMP86190" and sent["slot_id"] == booking.slot_id


# --- 1004 ----------------------------------------------------------------------------------


def test_1004_on_book_refreshes_the_doctors_and_sends_staff_back_to_doctor_choice(
    ops_client, synced_catalogue, partner_simulator
):
    partner_simulator.inject("sanar_video.book", "1004")
    booking = book_and_send(ops_client, VIDEO, walk_to_confirm(ops_client))
    assert booking.status == Status.FAILED
    assert url("video-doctor", booking) in status_page(ops_client, booking)

    doctors_calls = len(partner_simulator.received("sanar_video.doctors"))
    page = ops_client.get(url("video-doctor", booking), follow=True).content.decode()
    assert len(partner_simulator.received("sanar_video.doctors")) == doctors_calls + 1
    # One banner says what happened and what to do, not a second near-copy of it.
    assert page.count("no longer knows part of this booking") == 1
    assert "The list was refreshed: choose again" in page and "doctor list was refreshed" not in page
    ops_client.get(url("video-doctor", booking))  # a reload does not refresh again
    assert len(partner_simulator.received("sanar_video.doctors")) == doctors_calls + 1

    assert ops_client.post(url("video-doctor", booking), {"doctor_id": "EMP86205"}).url == url("video-slot", booking)
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT and booking.slot_id == ""


def test_1004_on_slots_refreshes_the_doctors_and_goes_back_to_doctor_choice(
    ops_client, synced_catalogue, partner_simulator
):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject("sanar_video.slots", "1004")
    response = ops_client.get(url("video-slot", booking), follow=True)
    assert response.redirect_chain[-1][0] == url("video-doctor", booking)
    assert "The doctor list was refreshed" in response.content.decode()
    assert partner_simulator.received("sanar_video.doctors")[-1]["query"]["spec_id"] in ("DP34", ["DP34"])


# --- 1005 ----------------------------------------------------------------------------------


def test_1005_returns_to_slot_choice_with_that_slot_shown_taken(ops_client, synced_catalogue, partner_simulator):
    partner_simulator.inject("sanar_video.book", "1005")
    booking = book_and_send(ops_client, VIDEO, walk_to_confirm(ops_client))
    assert booking.status == Status.SLOT_UNAVAILABLE
    page = status_page(ops_client, booking)
    assert url("video-slot", booking) in page and "Choose another slot" in page
    assert ops_client.get(reverse("bookings:resume", args=[booking.pk])).url == url("video-slot", booking)
    assert ops_client.get(url("video-confirm", booking)).url == url("video-slot", booking)

    slots = ops_client.get(url("video-slot", booking)).content.decode()
    assert "says the slot you chose is no longer available" in slots
    assert re.search(
        rf'value="{booking.slot_id}"[^>]*class="slot selected taken btn btn-outline-primary" disabled', slots
    )
    refused = ops_client.post(
        url("video-slot", booking), {"appointment_date": tomorrow().isoformat(), "slot_id": booking.slot_id}
    )
    assert "just taken" in refused.content.decode()

    other = next(s for s in free_slots(ops_client, booking, tomorrow()) if s != booking.slot_id)
    chosen = ops_client.post(url("video-slot", booking), {"appointment_date": tomorrow().isoformat(), "slot_id": other})
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT and booking.slot_id == other
    # The patient step is still complete: Continue goes straight to Confirm.
    assert chosen.url == url("video-confirm", booking)
    assert ops_client.get(url("video-patient", booking)).status_code == 200
    assert book_and_send(ops_client, VIDEO, booking).status == Status.AWAITING_PAYMENT


# --- 5000 ----------------------------------------------------------------------------------


def test_a_read_timeout_on_slots_shows_a_message(ops_client, synced_catalogue, partner_simulator, settings):
    settings.PARTNER_READ_TIMEOUT = 0.3
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject("sanar_video.slots", "read_timeout_after_accept", sleep_s=1)
    response = ops_client.get(url("video-slot", booking))
    assert response.status_code == 200
    assert "Sanar is not answering right now" in response.content.decode()


def test_refresh_while_sanar_is_down_keeps_the_saved_catalogue(ops_client, synced_catalogue, partner_simulator):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject("sanar_video.specialities", "5000")
    response = ops_client.post(url("video-refresh", booking), {"step": "speciality"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url("video-speciality", booking)
    assert "could not be reached" in page and "The saved catalogue is still shown" in page
    assert "Family Medicine" in page and "Pediatrics" in page
