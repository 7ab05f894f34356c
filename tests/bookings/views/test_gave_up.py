"""A booking whose retries gave up because the partner kept failing: what the status page says
and offers (retry now, another slot or provider, cancel), in the three flows."""

import dataclasses
import re

import pytest
from django.urls import reverse

from bookings import products
from bookings.models import Booking
from bookings.services.sending import booking_send
from bookings.services.submission import booking_submit
from bookings.states import Status
from partners import errors
from partners.models import Partner, UpstreamCall
from tests.bookings.views import vaccination_support, video_support
from tests.bookings.views.flow_cases import FLOWS, MAX_RETRIES, VIDEO, book_and_send, status_page
from tests.bookings.views.flow_support import tomorrow, url
from tests.bookings.views.test_enrollment_edit import draft as enrollment_draft
from tests.factories import make_booking, make_call, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(params=FLOWS, ids=str)
def flow(request):
    return request.param


def gave_up(client, flow, partner_simulator) -> Booking:
    """A Sanar booking sent while the partner answers 5000 every time: retries run out."""
    partner_simulator.inject(flow.operation("book"), "5000", times=MAX_RETRIES + 1)
    booking = book_and_send(client, flow, flow.walk_to_confirm(client))
    for retries_done in range(1, MAX_RETRIES + 1):
        booking_send(booking_id=booking.pk, retries_done=retries_done, max_retries=MAX_RETRIES)
    booking.refresh_from_db()
    assert booking.status == Status.NEEDS_ATTENTION
    return booking


def buttons(page: str) -> list[str]:
    return re.findall(r'<(?:button|a) [^>]*class="btn[^"]*"[^>]*>([^<]+)</(?:button|a)>', page)


def first_failure(booking) -> UpstreamCall:
    return booking.upstream_calls.order_by("created_at").first()


def test_the_page_says_since_when_and_offers_every_way_on(ops_client, flow, synced_catalogue, partner_simulator):
    booking = gave_up(ops_client, flow, partner_simulator)
    page = status_page(ops_client, booking)
    assert "Sanar did not answer, so the portal stopped retrying." in page
    assert "Sanar has not been answering since" in page
    assert "Nothing is lost: the patient's details and every choice stay in this booking." in page
    assert "What to tell the patient:" in page
    assert "Sanar support:" not in page  # no contact configured
    assert buttons(page)[-3:] == ["Retry now", "Choose another slot or provider", "Cancel the booking"]
    assert flow.contact_name in page  # what was typed is shown beside it


def test_another_slot_keeps_everything_else_and_books(ops_client, flow, synced_catalogue, partner_simulator):
    booking = gave_up(ops_client, flow, partner_simulator)
    kept = {name: getattr(booking, name) for name in ("patient_name", "mobile", "email", "patient_dob", "amount")}

    response = ops_client.post(url("change-selection", booking))
    assert response.url == url(f"{flow.name}-slot", booking)
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT
    assert {name: getattr(booking, name) for name in kept} == kept
    step = ops_client.get(response.url).content.decode()
    assert "Sanar has not made this booking." in step
    assert "Choose another slot or provider, then book again: everything else is kept." in step

    if flow is VIDEO:
        other = video_support.free_slots(ops_client, booking, tomorrow())[1]
        chosen = {"appointment_date": tomorrow().isoformat(), "slot_id": other}
    else:
        provider_id, other = vaccination_support.free_slots(ops_client, booking, tomorrow())[1]
        chosen = {"appointment_date": tomorrow().isoformat(), "provider_id": provider_id, "slot_id": other}
    assert ops_client.post(url(f"{flow.name}-slot", booking), chosen).status_code == 302
    booking = book_and_send(ops_client, flow, booking)
    assert booking.status == Status.AWAITING_PAYMENT
    assert booking.slot_id == other
    assert {name: getattr(booking, name) for name in kept} == kept
    assert partner_simulator.successful_creates(flow.operation("book")) == 1


def test_cancel_asks_first_then_cancels(ops_client, flow, synced_catalogue, partner_simulator):
    booking = gave_up(ops_client, flow, partner_simulator)
    confirm = ops_client.get(url("cancel", booking))
    assert confirm.status_code == 200
    assert "Yes, cancel the booking" in confirm.content.decode()
    booking.refresh_from_db()
    assert booking.status == Status.NEEDS_ATTENTION  # asking changed nothing

    response = ops_client.post(url("cancel", booking))
    assert response.url == url("status", booking)
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert booking.events.latest("created_at").actor is not None
    assert f"{booking} is cancelled." in ops_client.get(response.url).content.decode()


def test_retry_now_counts_its_attempts_afresh(ops_client, flow, synced_catalogue, partner_simulator):
    booking = gave_up(ops_client, flow, partner_simulator)
    partner_simulator.inject(flow.operation("book"), "5000", times=1)
    ops_client.post(url("detail-retry", booking), {"next": url("status", booking)})
    booking.refresh_from_db()
    assert booking.status == Status.QUEUED and booking.submit_attempts == 0
    booking_send(booking_id=booking.pk, retries_done=0, max_retries=MAX_RETRIES)
    assert "retrying (attempt 2 of 3)" in status_page(ops_client, booking)


# --- Sandicare -----------------------------------------------------------------------------


@pytest.fixture
def enrollment_gave_up(operations_user, sandicare_credential, monkeypatch, django_capture_on_commit_callbacks):
    def enroll(credential, *, booking, attempt=1):
        call = make_call(partner=booking.partner, booking=booking, operation="enroll", outcome="server_error")
        raise errors.ServerError("Service unavailable", call=call)

    product = dataclasses.replace(products.PRODUCTS[Partner.Code.SANDICARE], create_call=enroll)
    monkeypatch.setitem(products.PRODUCTS, Partner.Code.SANDICARE, product)
    booking = enrollment_draft(operations_user)
    with django_capture_on_commit_callbacks(execute=False):
        booking_submit(booking_id=booking.pk, actor=operations_user)
    booking_send(booking_id=booking.pk, retries_done=0, max_retries=0)
    booking.refresh_from_db()
    assert booking.status == Status.NEEDS_ATTENTION
    return booking


def test_enrollment_gave_up_offers_to_change_the_details(ops_client, enrollment_gave_up, settings):
    settings.PARTNER_SUPPORT_CONTACTS = {"sandicare": "soporte@sandicare.example, +52 55 0000 0000"}
    booking = enrollment_gave_up
    page = status_page(ops_client, booking)
    since = first_failure(booking).created_at
    assert "Sandicare has not been answering since" in page
    assert buttons(page)[-3:] == ["Retry now", "Change the enrollment details", "Cancel the booking"]
    assert "Sandicare support:" in page
    assert 'href="mailto:soporte@sandicare.example"' in page and "+52 55 0000 0000" in page
    assert since is not None

    response = ops_client.post(url("change-selection", booking))
    assert response.url == reverse("bookings:enrollment-edit", args=[booking.pk])
    form = ops_client.get(response.url).content.decode()
    assert 'value="patient@example.org"' in form  # what was typed is on the form again
    assert "Sandicare has not made this booking." in form
    booking.refresh_from_db()
    assert booking.status == Status.DRAFT and booking.email == "patient@example.org"


def test_enrollment_cancel(ops_client, enrollment_gave_up):
    booking = enrollment_gave_up
    assert ops_client.get(url("cancel", booking)).status_code == 200
    ops_client.post(url("cancel", booking))
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED


# --- the page once the partner answers again, other causes, refusals, access -----------------


def needs_attention(outcome: str, **fields) -> Booking:
    booking = make_booking(status=Status.NEEDS_ATTENTION, submit_attempts=3, **fields)
    call = make_call(booking=booking, outcome=outcome)
    make_event(booking, from_status=Status.SUBMITTING, to_status=Status.NEEDS_ATTENTION, upstream_call=call)
    return booking


def test_once_the_partner_answered_again_the_page_says_so(ops_client):
    booking = needs_attention(UpstreamCall.Outcome.TIMEOUT_BEFORE_SEND)
    make_call(partner=booking.partner, outcome=UpstreamCall.Outcome.OK)
    page = status_page(ops_client, booking)
    assert "has answered other requests since: retrying now will probably work." in page
    assert "has not been answering since" not in page


def test_a_credential_problem_is_not_an_outage_but_keeps_the_ways_on(ops_client):
    booking = needs_attention(UpstreamCall.Outcome.UNAUTHORIZED)
    page = status_page(ops_client, booking)
    assert "stopped retrying" not in page and "not been answering" not in page
    assert buttons(page)[-3:] == ["Retry now", "Choose another slot or provider", "Cancel the booking"]


@pytest.mark.parametrize("status", [Status.AWAITING_PAYMENT, Status.QUEUED, Status.CANCELLED])
def test_change_and_cancel_are_refused_once_past_them(ops_client, status):
    booking = make_booking(status=status)
    for name in ("change-selection", "cancel"):
        response = ops_client.post(url(name, booking), follow=True)
        assert response.status_code == 200
        assert "is not possible" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == status
    assert ops_client.get(url("cancel", booking)).url == url("status", booking)


@pytest.mark.parametrize(
    "persona, expected", [("anonymous", 302), ("finance", 403), ("partner_admin", 403), ("operations", 200)]
)
def test_cancel_page_access(persona_client, persona, expected):
    booking = needs_attention(UpstreamCall.Outcome.SERVER_ERROR)
    response = persona_client(persona).get(url("cancel", booking))
    assert response.status_code == expected
    if persona == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["anonymous", "finance", "partner_admin"])
def test_change_is_refused_outside_operations(persona_client, persona):
    booking = needs_attention(UpstreamCall.Outcome.SERVER_ERROR)
    assert persona_client(persona).post(url("change-selection", booking)).status_code in (302, 403)
    booking.refresh_from_db()
    assert booking.status == Status.NEEDS_ATTENTION


def test_change_is_post_only(ops_client):
    booking = needs_attention(UpstreamCall.Outcome.SERVER_ERROR)
    assert ops_client.get(url("change-selection", booking)).status_code == 405


def test_the_booking_record_offers_the_same_ways_on(ops_client):
    booking = needs_attention(UpstreamCall.Outcome.SERVER_ERROR)
    page = ops_client.get(url("detail", booking)).content.decode()
    assert url("change-selection", booking) in page and url("cancel", booking) in page
    assert buttons(page)[-3:] == [
        "Retry sending to the partner",
        "Choose another slot or provider",
        "Cancel the booking",
    ]
