"""Partner answers of CONTRACT.md's status table that staff meet alike in both Sanar flows.

The pages talk to the partner simulator over real HTTP; the send runs ``booking_send`` in the
test. Each test runs once per flow of ``FLOWS``; answers that play out differently per product
are in test_video_outcomes.py and test_vaccination_outcomes.py.
"""

import pytest
from django.urls import reverse

from bookings.services.sending import booking_send
from bookings.states import Status
from tests.bookings.views.flow_cases import FLOWS, MAX_RETRIES, book_and_send, status_page
from tests.bookings.views.flow_support import tomorrow, url

pytestmark = pytest.mark.django_db


@pytest.fixture(params=FLOWS, ids=str)
def flow(request):
    return request.param


# --- 1001 ----------------------------------------------------------------------------------


def test_1001_sends_staff_back_to_the_contact_form_with_the_partner_message(
    ops_client, flow, synced_catalogue, partner_simulator
):
    partner_simulator.inject(flow.operation("book"), "1001")
    booking = book_and_send(ops_client, flow, flow.walk_to_confirm(ops_client))
    assert booking.status == Status.FAILED
    assert booking.partner_message
    contact = flow.page(flow.contact)
    assert url(contact, booking) in status_page(ops_client, booking)

    form = ops_client.get(url(contact, booking)).content.decode()
    assert "Sanar rejected the booking:" in form
    assert booking.partner_message in form
    for value in flow.kept_contact:  # still there to fix
        assert value in form

    assert ops_client.post(url(contact, booking), flow.fixed_contact).url == url(flow.page("confirm"), booking)
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT
    assert book_and_send(ops_client, flow, booking).status == Status.AWAITING_PAYMENT


def test_book_after_a_partner_refusal_needs_a_change_first(ops_client, flow, synced_catalogue, partner_simulator):
    partner_simulator.inject(flow.operation("book"), "1001")
    booking = book_and_send(ops_client, flow, flow.walk_to_confirm(ops_client))
    response = ops_client.post(url(flow.page("confirm"), booking))
    assert response.url == url(flow.page(flow.contact), booking)
    booking.refresh_from_db()
    assert booking.status == Status.FAILED
    assert partner_simulator.successful_creates(flow.operation("book")) == 0


# --- 1004 ----------------------------------------------------------------------------------


def test_1004_on_the_slots_fragment_redirects_the_whole_page(ops_client, flow, synced_catalogue, partner_simulator):
    booking = flow.walk_to_confirm(ops_client)
    partner_simulator.inject(flow.operation(flow.read), "1004")
    response = ops_client.get(
        url(flow.page("slots"), booking), {"date": tomorrow().isoformat()}, headers={"HX-Request": "true"}
    )
    assert response["HX-Redirect"] == url(flow.page(flow.reselect), booking)


# --- 1002 / 1003 ---------------------------------------------------------------------------


@pytest.mark.parametrize("fault, times", [("1002", 1), ("1003", 2)])
def test_credential_rejections_need_attention_and_alert_partner_admins(
    ops_client, flow, synced_catalogue, partner_simulator, simulator_credential, persona_client, fault, times
):
    partner_simulator.inject(flow.operation("book"), fault, times=times)
    booking = book_and_send(ops_client, flow, flow.walk_to_confirm(ops_client))
    assert booking.status == Status.NEEDS_ATTENTION
    simulator_credential.refresh_from_db()
    assert simulator_credential.is_failing
    page = status_page(ops_client, booking)
    assert "Sanar credentials need attention; a partner admin has been alerted." in page
    assert f"{flow.partner_name} credentials need attention. A partner admin has been alerted." in page

    admin_page = persona_client("partner_admin").get(reverse("bookings:dashboard")).content.decode()
    assert "credentials are failing" in admin_page
    assert reverse("admin:partners_credential_change", args=[simulator_credential.pk]) in admin_page


def test_a_single_1003_is_signed_again_and_books(ops_client, flow, synced_catalogue, partner_simulator):
    partner_simulator.inject(flow.operation("book"), "1003")
    booking = book_and_send(ops_client, flow, flow.walk_to_confirm(ops_client))
    assert booking.status == Status.AWAITING_PAYMENT
    assert partner_simulator.successful_creates(flow.operation("book")) == 1


def test_1002_on_the_slot_read_says_credentials_need_attention(
    ops_client, flow, synced_catalogue, partner_simulator, simulator_credential
):
    booking = flow.walk_to_confirm(ops_client)
    partner_simulator.inject(flow.operation(flow.read), "1002")
    page = ops_client.get(url(flow.page("slot"), booking)).content.decode()
    assert "Sanar credentials need attention; a partner admin has been alerted." in page
    simulator_credential.refresh_from_db()
    assert simulator_credential.is_failing


# --- 5000 ----------------------------------------------------------------------------------


def test_5000_retries_then_needs_attention_with_a_retry_button(ops_client, flow, synced_catalogue, partner_simulator):
    partner_simulator.inject(flow.operation("book"), "5000", times=MAX_RETRIES + 1)
    booking = book_and_send(ops_client, flow, flow.walk_to_confirm(ops_client))
    assert booking.status == Status.QUEUED
    page = status_page(ops_client, booking)
    assert "is having trouble, retrying (attempt 2 of 3)" in page
    assert 'hx-trigger="every 2s"' in page  # the page keeps updating itself
    # When the next attempt starts and what staff tell the patient meanwhile.
    assert "Next attempt by" in page and "at the latest" in page
    assert "What to tell the patient:" in page and "the slot is not held" in page

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
    assert partner_simulator.successful_creates(flow.operation("book")) == 1


@pytest.mark.parametrize("fault", ["5000", "http_502_html", "bad_json", "connection_reset", "missing_status"])
def test_a_failed_slot_read_shows_a_message_never_a_500(ops_client, flow, synced_catalogue, partner_simulator, fault):
    booking = flow.walk_to_confirm(ops_client)
    partner_simulator.inject(flow.operation(flow.read), fault, times=-1)
    response = ops_client.get(url(flow.page("slot"), booking))
    assert response.status_code == 200
    assert "Sanar is not answering right now" in response.content.decode()
    fragment = ops_client.get(url(flow.page("slots"), booking), {"date": tomorrow().isoformat()})
    assert fragment.status_code == 200 and "Try again" in fragment.content.decode()


def test_refresh_from_sanar_updates_the_catalogue(ops_client, flow, synced_catalogue, partner_simulator):
    booking = flow.walk_to_confirm(ops_client)
    before = len(partner_simulator.received(flow.operation(flow.catalogue_read)))
    response = ops_client.post(url(flow.page("refresh"), booking), {"step": flow.catalogue_refresh}, follow=True)
    assert response.redirect_chain[-1][0] == url(flow.page(flow.catalogue_refresh), booking)
    assert "Catalogue refreshed from Sanar" in response.content.decode()
    assert len(partner_simulator.received(flow.operation(flow.catalogue_read))) == before + 1


# --- verify_with_partner -------------------------------------------------------------------


def test_unknown_outcome_is_explained_and_can_be_marked_booked(
    ops_client, flow, synced_catalogue, partner_simulator, settings
):
    settings.PARTNER_READ_TIMEOUT = 0.3
    partner_simulator.inject(flow.operation("book"), "read_timeout_after_accept", sleep_s=1)
    booking = book_and_send(ops_client, flow, flow.walk_to_confirm(ops_client))
    assert booking.status == Status.VERIFY_WITH_PARTNER
    page = status_page(ops_client, booking)
    assert "We could not tell whether" in page and url("detail", booking) + "#resolve" in page
    detail = ops_client.get(url("detail", booking)).content.decode()
    assert "The partner has this booking" in detail and "The partner has no booking" in detail
    assert ops_client.get(url(flow.page("confirm"), booking)).url == url("status", booking)  # never sent again

    ops_client.post(
        url("detail-resolve", booking),
        {"booked": "yes", "upstream_booking_id": "SNR-CONFIRMED-1", "handoff_url": "https://pay.sanar.example/SNR-1"},
    )
    booking.refresh_from_db()
    assert booking.status == Status.AWAITING_PAYMENT
    assert booking.upstream_booking_id == "SNR-CONFIRMED-1"
    assert partner_simulator.successful_creates(flow.operation("book")) == 1  # the simulator did book it


def test_unknown_outcome_can_be_marked_failed(ops_client, flow, synced_catalogue, partner_simulator, settings):
    settings.PARTNER_READ_TIMEOUT = 0.3
    partner_simulator.inject(flow.operation("book"), "read_timeout_after_accept", sleep_s=1)
    booking = book_and_send(ops_client, flow, flow.walk_to_confirm(ops_client))
    ops_client.post(url("detail-resolve", booking), {"booked": "no"})
    booking.refresh_from_db()
    assert booking.status == Status.FAILED
