"""Every partner answer of CONTRACT.md's status table, as staff meet it in the video flow.

The pages talk to the partner simulator over real HTTP; the send runs ``booking_send`` in the
test (the Celery worker version is in tests/integration/test_video_booking.py).
"""

import re

import pytest
from django.urls import reverse

from bookings.services.sending import booking_send
from bookings.states import Status
from partner_simulator import demo_keys
from partners.catalogue.video import sync_video_catalogue
from partners.models import Credential, Partner
from tests.bookings.views.video_support import free_slots, tomorrow, url, walk_to_confirm

pytestmark = pytest.mark.django_db
MAX_RETRIES = 2


@pytest.fixture
def credential(partners, partner_simulator, settings):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False
    settings.PARTNER_READ_TIMEOUT = 1.0
    settings.PARTNER_MAX_RETRIES = MAX_RETRIES
    return Credential.objects.create(
        partner=partners[Partner.Code.SANAR_VIDEO],
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sanar_video"),
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
    )


@pytest.fixture
def catalogue(credential):
    report = sync_video_catalogue()
    assert report.ok, report.errors


def book_and_send(client, booking, *, retries_done=0):
    assert client.post(url("video-confirm", booking)).url == url("status", booking)
    booking_send(booking_id=booking.pk, retries_done=retries_done, max_retries=MAX_RETRIES)
    booking.refresh_from_db()
    return booking


def status_page(client, booking):
    return client.get(url("status", booking)).content.decode()


# --- 1000 ----------------------------------------------------------------------------------


def test_success_shows_the_payment_link(ops_client, catalogue, partner_simulator):
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.AWAITING_PAYMENT
    assert booking.payment_url.startswith("https://")
    page = status_page(ops_client, booking)
    assert booking.payment_url in page and "Copy link" in page and "Printable slip" in page
    assert url("handoff-qr", booking) in page
    sent = partner_simulator.received("sanar_video.book")[-1]["json"]
    assert sent["patient"]["mobile"] == "+966501234567"
    assert sent["doctor_id"] == "EMP86190" and sent["slot_id"] == booking.slot_id


# --- 1001 ----------------------------------------------------------------------------------


def test_1001_sends_staff_back_to_the_patient_form_with_the_partner_message(ops_client, catalogue, partner_simulator):
    partner_simulator.inject("sanar_video.book", "1001")
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.FAILED
    assert booking.partner_message
    assert url("video-patient", booking) in status_page(ops_client, booking)

    form = ops_client.get(url("video-patient", booking)).content.decode()
    assert "Sanar rejected the booking:" in form
    assert booking.partner_message in form
    assert 'value="Sara Ali"' in form  # the patient is still there to fix

    fixed = {
        "patient_name": "Sara Ali Hassan",
        "mobile": "+966501234567",
        "email": "sara@example.org",
        "patient_gender": "Female",
        "patient_dob": "1990-05-17",
    }
    assert ops_client.post(url("video-patient", booking), fixed).url == url("video-confirm", booking)
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT
    assert book_and_send(ops_client, booking).status == Status.AWAITING_PAYMENT


def test_book_after_a_partner_refusal_needs_a_change_first(ops_client, catalogue, partner_simulator):
    partner_simulator.inject("sanar_video.book", "1001")
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    response = ops_client.post(url("video-confirm", booking))
    assert response.url == url("video-patient", booking)
    booking.refresh_from_db()
    assert booking.status == Status.FAILED
    assert partner_simulator.successful_creates("sanar_video.book") == 0


# --- 1004 ----------------------------------------------------------------------------------


def test_1004_on_book_refreshes_the_doctors_and_sends_staff_back_to_doctor_choice(
    ops_client, catalogue, partner_simulator
):
    partner_simulator.inject("sanar_video.book", "1004")
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.FAILED
    assert url("video-doctor", booking) in status_page(ops_client, booking)

    doctors_calls = len(partner_simulator.received("sanar_video.doctors"))
    page = ops_client.get(url("video-doctor", booking), follow=True).content.decode()
    assert len(partner_simulator.received("sanar_video.doctors")) == doctors_calls + 1
    assert "The doctor list was refreshed" in page
    assert "no longer knows part of this booking" in page
    ops_client.get(url("video-doctor", booking))  # a reload does not refresh again
    assert len(partner_simulator.received("sanar_video.doctors")) == doctors_calls + 1

    assert ops_client.post(url("video-doctor", booking), {"doctor_id": "EMP86205"}).url == url("video-slot", booking)
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT and booking.slot_id == ""


def test_1004_on_slots_refreshes_the_doctors_and_goes_back_to_doctor_choice(ops_client, catalogue, partner_simulator):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject("sanar_video.slots", "1004")
    response = ops_client.get(url("video-slot", booking), follow=True)
    assert response.redirect_chain[-1][0] == url("video-doctor", booking)
    assert "The doctor list was refreshed" in response.content.decode()
    assert partner_simulator.received("sanar_video.doctors")[-1]["query"]["spec_id"] in ("DP34", ["DP34"])


def test_1004_on_the_slots_fragment_redirects_the_whole_page(ops_client, catalogue, partner_simulator):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject("sanar_video.slots", "1004")
    response = ops_client.get(
        url("video-slots", booking), {"date": tomorrow().isoformat()}, headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == url("video-doctor", booking)


# --- 1005 ----------------------------------------------------------------------------------


def test_1005_returns_to_slot_choice_with_that_slot_shown_taken(ops_client, catalogue, partner_simulator):
    partner_simulator.inject("sanar_video.book", "1005")
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.SLOT_UNAVAILABLE
    page = status_page(ops_client, booking)
    assert url("video-slot", booking) in page and "Choose another slot" in page
    assert ops_client.get(reverse("bookings:resume", args=[booking.pk])).url == url("video-slot", booking)
    assert ops_client.get(url("video-confirm", booking)).url == url("video-slot", booking)

    slots = ops_client.get(url("video-slot", booking)).content.decode()
    assert "says the slot you chose is no longer available" in slots
    assert re.search(rf'value="{booking.slot_id}"[^>]*class="slot selected taken" disabled', slots)
    refused = ops_client.post(
        url("video-slot", booking), {"appointment_date": tomorrow().isoformat(), "slot_id": booking.slot_id}
    )
    assert "just taken" in refused.content.decode()

    other = next(s for s in free_slots(ops_client, booking, tomorrow()) if s != booking.slot_id)
    ops_client.post(url("video-slot", booking), {"appointment_date": tomorrow().isoformat(), "slot_id": other})
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT and booking.slot_id == other
    assert ops_client.get(url("video-patient", booking)).status_code == 200
    assert book_and_send(ops_client, booking).status == Status.AWAITING_PAYMENT


# --- 1002 / 1003 ---------------------------------------------------------------------------


@pytest.mark.parametrize("fault, times", [("1002", 1), ("1003", 2)])
def test_credential_rejections_need_attention_and_alert_partner_admins(
    ops_client, catalogue, partner_simulator, credential, persona_client, fault, times
):
    partner_simulator.inject("sanar_video.book", fault, times=times)
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.NEEDS_ATTENTION
    credential.refresh_from_db()
    assert credential.is_failing
    page = status_page(ops_client, booking)
    assert "credentials need attention" in page
    assert "Sanar video consultation credentials need attention. A partner admin has been alerted." in page

    admin_page = persona_client("partner_admin").get(reverse("bookings:dashboard")).content.decode()
    assert "credentials are failing" in admin_page
    assert reverse("admin:partners_credential_change", args=[credential.pk]) in admin_page


def test_a_single_1003_is_signed_again_and_books(ops_client, catalogue, partner_simulator, credential):
    partner_simulator.inject("sanar_video.book", "1003")
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.AWAITING_PAYMENT
    assert partner_simulator.successful_creates("sanar_video.book") == 1


def test_1002_on_slots_says_credentials_need_attention(ops_client, catalogue, partner_simulator, credential):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject("sanar_video.slots", "1002")
    page = ops_client.get(url("video-slot", booking)).content.decode()
    assert "Sanar credentials need attention; a partner admin has been alerted." in page
    credential.refresh_from_db()
    assert credential.is_failing


# --- 5000 ----------------------------------------------------------------------------------


def test_5000_retries_then_needs_attention_with_a_retry_button(ops_client, catalogue, partner_simulator):
    partner_simulator.inject("sanar_video.book", "5000", times=MAX_RETRIES + 1)
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.QUEUED
    page = status_page(ops_client, booking)
    assert "is having trouble, retrying (attempt 2 of 3)" in page
    assert 'hx-trigger="every 2s"' in page  # the page keeps updating itself

    for retries_done in (1, 2):
        booking_send(booking_id=booking.pk, retries_done=retries_done, max_retries=MAX_RETRIES)
    booking.refresh_from_db()
    assert booking.status == Status.NEEDS_ATTENTION
    page = status_page(ops_client, booking)
    assert url("detail-retry", booking) in page and "Retry now" in page

    ops_client.post(url("detail-retry", booking), {"next": url("status", booking)})
    booking_send(booking_id=booking.pk, retries_done=0, max_retries=MAX_RETRIES)
    booking.refresh_from_db()
    assert booking.status == Status.AWAITING_PAYMENT
    assert partner_simulator.successful_creates("sanar_video.book") == 1


@pytest.mark.parametrize("fault", ["5000", "http_502_html", "bad_json", "connection_reset", "missing_status"])
def test_a_failed_slots_read_shows_a_message_never_a_500(ops_client, catalogue, partner_simulator, fault):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject("sanar_video.slots", fault, times=-1)
    response = ops_client.get(url("video-slot", booking))
    assert response.status_code == 200
    assert "Sanar is not answering right now" in response.content.decode()
    fragment = ops_client.get(url("video-slots", booking), {"date": tomorrow().isoformat()})
    assert fragment.status_code == 200 and "Try again" in fragment.content.decode()


def test_a_read_timeout_on_slots_shows_a_message(ops_client, catalogue, partner_simulator, settings):
    settings.PARTNER_READ_TIMEOUT = 0.3
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject("sanar_video.slots", "read_timeout_after_accept", sleep_s=1)
    response = ops_client.get(url("video-slot", booking))
    assert response.status_code == 200
    assert "Sanar is not answering right now" in response.content.decode()


def test_refresh_while_sanar_is_down_keeps_the_saved_catalogue(ops_client, catalogue, partner_simulator):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject("sanar_video.specialities", "5000")
    response = ops_client.post(url("video-refresh", booking), {"step": "speciality"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url("video-speciality", booking)
    assert "could not be reached" in page and "The saved catalogue is still shown" in page
    assert "Family Medicine" in page and "Pediatrics" in page


def test_refresh_from_sanar_updates_the_catalogue(ops_client, catalogue, partner_simulator):
    booking = walk_to_confirm(ops_client)
    before = len(partner_simulator.received("sanar_video.specialities"))
    response = ops_client.post(url("video-refresh", booking), {"step": "doctor"}, follow=True)
    assert response.redirect_chain[-1][0] == url("video-doctor", booking)
    assert "Catalogue refreshed from Sanar" in response.content.decode()
    assert len(partner_simulator.received("sanar_video.specialities")) == before + 1


# --- verify_with_partner -------------------------------------------------------------------


def test_unknown_outcome_is_explained_and_can_be_marked_booked(ops_client, catalogue, partner_simulator, settings):
    settings.PARTNER_READ_TIMEOUT = 0.3
    partner_simulator.inject("sanar_video.book", "read_timeout_after_accept", sleep_s=1)
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.VERIFY_WITH_PARTNER
    page = status_page(ops_client, booking)
    assert "We could not tell whether" in page and url("detail", booking) + "#resolve" in page
    detail = ops_client.get(url("detail", booking)).content.decode()
    assert "The partner has this booking" in detail and "The partner has no booking" in detail
    assert ops_client.get(url("video-confirm", booking)).url == url("status", booking)  # never sent again

    ops_client.post(
        url("detail-resolve", booking),
        {
            "booked": "yes",
            "upstream_booking_id": "SNR-CONFIRMED-1",
            "handoff_url": "https://pay.sanar.example/SNR-CONFIRMED-1",
        },
    )
    booking.refresh_from_db()
    assert booking.status == Status.AWAITING_PAYMENT
    assert booking.upstream_booking_id == "SNR-CONFIRMED-1"


def test_unknown_outcome_can_be_marked_failed(ops_client, catalogue, partner_simulator, settings):
    settings.PARTNER_READ_TIMEOUT = 0.3
    partner_simulator.inject("sanar_video.book", "read_timeout_after_accept", sleep_s=1)
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    ops_client.post(url("detail-resolve", booking), {"booked": "no"})
    booking.refresh_from_db()
    assert booking.status == Status.FAILED
