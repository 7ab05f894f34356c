"""Every partner answer of CONTRACT.md's status table, as staff meet it in the kids vaccination flow.

The pages talk to the partner simulator over real HTTP; the send runs ``booking_send`` in the
test (the Celery worker version is in tests/integration/test_vaccination_booking.py).
"""

import re

import pytest
from django.urls import reverse

from bookings.services.sending import booking_send
from bookings.states import Status
from partner_simulator import demo_keys
from partners.catalogue.vaccination import sync_vaccination_catalogue
from partners.models import VaccinationService
from tests.bookings.views.vaccination_support import (
    CHILD,
    free_slots,
    simulator_credential,
    tomorrow,
    url,
    walk_to_confirm,
)

pytestmark = pytest.mark.django_db
MAX_RETRIES = 2
BOOK = "sanar_vaccination.book"
BROWSE = "sanar_vaccination.browse"


@pytest.fixture
def credential(partners, partner_simulator, settings):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False
    settings.PARTNER_READ_TIMEOUT = 1.0
    settings.PARTNER_MAX_RETRIES = MAX_RETRIES
    return simulator_credential(partner_simulator)


@pytest.fixture
def catalogue(credential):
    report = sync_vaccination_catalogue()
    assert report.ok, report.errors


def book_and_send(client, booking, *, retries_done=0):
    assert client.post(url("vaccination-confirm", booking)).url == url("status", booking)
    booking_send(booking_id=booking.pk, retries_done=retries_done, max_retries=MAX_RETRIES)
    booking.refresh_from_db()
    return booking


def status_page(client, booking):
    return client.get(url("status", booking)).content.decode()


# --- 1000 ----------------------------------------------------------------------------------


def test_success_shows_the_payment_link_and_sends_child_guardian_and_place(ops_client, catalogue, partner_simulator):
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
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


# --- 1001 ----------------------------------------------------------------------------------


def test_1001_sends_staff_back_to_the_child_form_with_the_partner_message(ops_client, catalogue, partner_simulator):
    partner_simulator.inject(BOOK, "1001")
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.FAILED and booking.partner_message
    assert url("vaccination-child", booking) in status_page(ops_client, booking)

    form = ops_client.get(url("vaccination-child", booking)).content.decode()
    assert "Sanar rejected the booking:" in form and booking.partner_message in form
    assert 'value="Omar Saleh"' in form and 'value="Huda Saleh"' in form  # still there to fix

    fixed = {**CHILD, "patient_name": "Omar Saleh Ali", "patient_dob": CHILD["patient_dob"].isoformat()}
    assert ops_client.post(url("vaccination-child", booking), fixed).url == url("vaccination-confirm", booking)
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT
    assert book_and_send(ops_client, booking).status == Status.AWAITING_PAYMENT


def test_book_after_a_partner_refusal_needs_a_change_first(ops_client, catalogue, partner_simulator):
    partner_simulator.inject(BOOK, "1001")
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert ops_client.post(url("vaccination-confirm", booking)).url == url("vaccination-child", booking)
    booking.refresh_from_db()
    assert booking.status == Status.FAILED
    assert partner_simulator.successful_creates(BOOK) == 0


# --- 1004 ----------------------------------------------------------------------------------


def test_1004_on_book_refreshes_the_services_and_sends_staff_back_to_them(ops_client, catalogue, partner_simulator):
    partner_simulator.inject(BOOK, "1004")
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.FAILED
    assert url("vaccination-services", booking) in status_page(ops_client, booking)

    services_calls = len(partner_simulator.received("sanar_vaccination.services"))
    page = ops_client.get(url("vaccination-services", booking)).content.decode()
    assert len(partner_simulator.received("sanar_vaccination.services")) == services_calls + 1
    assert "The services were refreshed" in page and "no longer knows part of this booking" in page
    ops_client.get(url("vaccination-services", booking))  # a reload does not refresh again
    assert len(partner_simulator.received("sanar_vaccination.services")) == services_calls + 1

    response = ops_client.post(url("vaccination-services", booking), {"service_ids": ["VAC-FLU"]})
    assert response.url == url("vaccination-details", booking)
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT and booking.provider_id == "" and booking.slot_id == ""


def test_1004_on_browse_resyncs_the_services_and_lands_on_them_with_a_message(ops_client, catalogue, partner_simulator):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject(BROWSE, "1004")
    services_calls = len(partner_simulator.received("sanar_vaccination.services"))
    response = ops_client.get(url("vaccination-slot", booking), follow=True)
    assert response.redirect_chain[-1][0] == url("vaccination-services", booking)
    page = response.content.decode()
    assert "Sanar no longer knows part of this selection (" in page
    assert "The services were refreshed: choose them again." in page
    assert len(partner_simulator.received("sanar_vaccination.services")) == services_calls + 1


def test_1004_on_the_slots_fragment_redirects_the_whole_page(ops_client, catalogue, partner_simulator):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject(BROWSE, "1004")
    response = ops_client.get(
        url("vaccination-slots", booking), {"date": tomorrow().isoformat()}, headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == url("vaccination-services", booking)


def test_1004_on_details_retires_the_service_and_goes_back_to_services(ops_client, catalogue, partner_simulator):
    booking = walk_to_confirm(ops_client)
    VaccinationService.objects.filter(service_id="VAC-FLU").update(details_synced_at=None)
    partner_simulator.inject("sanar_vaccination.details", "1004")
    response = ops_client.get(url("vaccination-details", booking), follow=True)
    assert response.redirect_chain[-1][0] == url("vaccination-services", booking)
    page = response.content.decode()
    assert "Sanar no longer offers Seasonal influenza" in page
    assert 'data-service="VAC-FLU"' not in page


# --- 1005 ----------------------------------------------------------------------------------


def test_1005_returns_to_slot_choice_with_that_slot_shown_taken(ops_client, catalogue, partner_simulator):
    partner_simulator.inject(BOOK, "1005")
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.SLOT_UNAVAILABLE
    page = status_page(ops_client, booking)
    assert url("vaccination-slot", booking) in page and "Choose another slot" in page
    assert ops_client.get(reverse("bookings:resume", args=[booking.pk])).url == url("vaccination-slot", booking)
    assert ops_client.get(url("vaccination-confirm", booking)).url == url("vaccination-slot", booking)

    slots = ops_client.get(url("vaccination-slot", booking)).content.decode()
    assert "says the slot you chose is no longer available" in slots
    chosen_group = next(g for g in slots.split('class="slot-group"')[1:] if booking.provider_id in g)
    assert re.search(rf'value="{booking.slot_id}"[^>]*class="slot selected taken" disabled', chosen_group)
    refused = ops_client.post(
        url("vaccination-slot", booking),
        {"appointment_date": tomorrow().isoformat(), "provider_id": booking.provider_id, "slot_id": booking.slot_id},
    )
    assert "just taken" in refused.content.decode()

    provider_id, slot_id = next(
        s for s in free_slots(ops_client, booking, tomorrow()) if s != (booking.provider_id, booking.slot_id)
    )
    ops_client.post(
        url("vaccination-slot", booking),
        {"appointment_date": tomorrow().isoformat(), "provider_id": provider_id, "slot_id": slot_id},
    )
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT and (booking.provider_id, booking.slot_id) == (provider_id, slot_id)
    assert ops_client.get(url("vaccination-child", booking)).status_code == 200
    assert book_and_send(ops_client, booking).status == Status.AWAITING_PAYMENT


# --- 1002 / 1003 ---------------------------------------------------------------------------


@pytest.mark.parametrize("fault, times", [("1002", 1), ("1003", 2)])
def test_credential_rejections_need_attention_and_alert_partner_admins(
    ops_client, catalogue, partner_simulator, credential, persona_client, fault, times
):
    partner_simulator.inject(BOOK, fault, times=times)
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.NEEDS_ATTENTION
    credential.refresh_from_db()
    assert credential.is_failing
    page = status_page(ops_client, booking)
    assert "Sanar credentials need attention; a partner admin has been alerted." in page

    admin_page = persona_client("partner_admin").get(reverse("bookings:dashboard")).content.decode()
    assert "credentials are failing" in admin_page
    assert reverse("admin:partners_credential_change", args=[credential.pk]) in admin_page


def test_a_single_1003_is_signed_again_and_books(ops_client, catalogue, partner_simulator):
    partner_simulator.inject(BOOK, "1003")
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.AWAITING_PAYMENT
    assert partner_simulator.successful_creates(BOOK) == 1


def test_1002_on_browse_says_credentials_need_attention(ops_client, catalogue, partner_simulator, credential):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject(BROWSE, "1002")
    page = ops_client.get(url("vaccination-slot", booking)).content.decode()
    assert "Sanar credentials need attention; a partner admin has been alerted." in page
    credential.refresh_from_db()
    assert credential.is_failing


# --- 5000 ----------------------------------------------------------------------------------


def test_5000_retries_then_needs_attention_with_a_retry_button(ops_client, catalogue, partner_simulator):
    partner_simulator.inject(BOOK, "5000", times=MAX_RETRIES + 1)
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.QUEUED
    page = status_page(ops_client, booking)
    assert "is having trouble, retrying (attempt 2 of 3)" in page
    assert 'hx-trigger="every 2s"' in page

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
    assert partner_simulator.successful_creates(BOOK) == 1


@pytest.mark.parametrize("fault", ["5000", "http_502_html", "bad_json", "connection_reset", "missing_status"])
def test_a_failed_browse_shows_a_message_never_a_500(ops_client, catalogue, partner_simulator, fault):
    booking = walk_to_confirm(ops_client)
    partner_simulator.inject(BROWSE, fault, times=-1)
    response = ops_client.get(url("vaccination-slot", booking))
    assert response.status_code == 200
    assert "Sanar is not answering right now" in response.content.decode()
    fragment = ops_client.get(url("vaccination-slots", booking), {"date": tomorrow().isoformat()})
    assert fragment.status_code == 200 and "Try again" in fragment.content.decode()


def test_browsing_services_works_while_sanar_is_down(ops_client, catalogue, partner_simulator):
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


def test_refresh_from_sanar_updates_the_catalogue(ops_client, catalogue, partner_simulator):
    booking = walk_to_confirm(ops_client)
    before = len(partner_simulator.received("sanar_vaccination.services"))
    response = ops_client.post(url("vaccination-refresh", booking), {"step": "services"}, follow=True)
    assert response.redirect_chain[-1][0] == url("vaccination-services", booking)
    assert "Catalogue refreshed from Sanar" in response.content.decode()
    assert len(partner_simulator.received("sanar_vaccination.services")) == before + 1


# --- verify_with_partner -------------------------------------------------------------------


def test_unknown_outcome_is_explained_and_resolved_by_staff(ops_client, catalogue, partner_simulator, settings):
    settings.PARTNER_READ_TIMEOUT = 0.3
    partner_simulator.inject(BOOK, "read_timeout_after_accept", sleep_s=1)
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    assert booking.status == Status.VERIFY_WITH_PARTNER
    page = status_page(ops_client, booking)
    assert "We could not tell whether" in page and url("detail", booking) + "#resolve" in page
    detail = ops_client.get(url("detail", booking)).content.decode()
    assert "The partner has this booking" in detail and "The partner has no booking" in detail
    assert ops_client.get(url("vaccination-confirm", booking)).url == url("status", booking)  # never sent again

    ops_client.post(
        url("detail-resolve", booking),
        {"booked": "yes", "upstream_booking_id": "SNR-KIDS-1", "handoff_url": "https://pay.sanar.example/SNR-KIDS-1"},
    )
    booking.refresh_from_db()
    assert booking.status == Status.AWAITING_PAYMENT and booking.upstream_booking_id == "SNR-KIDS-1"
    assert partner_simulator.successful_creates(BOOK) == 1  # the simulator did book it: staff confirmed


def test_unknown_outcome_can_be_marked_failed(ops_client, catalogue, partner_simulator, settings):
    settings.PARTNER_READ_TIMEOUT = 0.3
    partner_simulator.inject(BOOK, "read_timeout_after_accept", sleep_s=1)
    booking = book_and_send(ops_client, walk_to_confirm(ops_client))
    ops_client.post(url("detail-resolve", booking), {"booked": "no"})
    booking.refresh_from_db()
    assert booking.status == Status.FAILED
