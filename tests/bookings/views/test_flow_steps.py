"""What every Sanar flow's pages do alike: access, start and resume, the breadcrumb, reloads, Book.

The partner is mocked (adapter functions). Each test runs once per flow of ``FLOWS``; what only
one product does is tested in test_video_steps.py and test_vaccination_steps.py.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from bookings.services.drafts import booking_create_draft
from bookings.services.submission import booking_submit
from bookings.states import Status
from tests.bookings.views.flow_cases import FLOWS
from tests.bookings.views.flow_support import tomorrow
from tests.bookings.views.flow_support import url as step

pytestmark = pytest.mark.django_db


@pytest.fixture(params=FLOWS, ids=str)
def flow(request):
    return request.param


def per_flow(values) -> list:
    """Parameters ``flow, value`` for each flow and each of ``values(flow)``."""
    return [pytest.param(flow, value, id=f"{flow}-{value}") for flow in FLOWS for value in values(flow)]


def start_url(flow):
    return reverse(f"bookings:{flow.page('start')}")


def page_url(flow, name, booking):
    return start_url(flow) if name == "start" else step(flow.page(name), booking)


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize("flow, name", per_flow(lambda flow: ["start", *flow.steps]))
def test_anonymous_is_sent_to_login(client, complete_draft, fake_read, flow, name):
    response = client.get(page_url(flow, name, complete_draft))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("flow, name", per_flow(lambda flow: ["start", *flow.steps]))
@pytest.mark.parametrize(
    "persona, expected", [("operations", 200), ("superuser", 200), ("finance", 403), ("partner_admin", 403)]
)
def test_role_access(persona_client, complete_draft, fake_read, flow, name, persona, expected):
    assert persona_client(persona).get(page_url(flow, name, complete_draft)).status_code == expected


@pytest.mark.parametrize("persona", ["finance", "partner_admin"])
def test_other_roles_cannot_post(persona_client, flow, catalogue, persona):
    assert persona_client(persona).post(start_url(flow)).status_code == 403
    assert not Booking.objects.exists()


@pytest.mark.parametrize("persona, expected", [("anonymous", 302), ("finance", 403), ("partner_admin", 403)])
def test_only_operations_may_refresh_the_catalogue(
    persona_client, flow, complete_draft, monkeypatch, persona, expected
):
    synced = []
    monkeypatch.setattr(flow.adapter, flow.catalogue_read, lambda credential: synced.append(1) or [])
    response = persona_client(persona).post(
        step(flow.page("refresh"), complete_draft), {"step": flow.catalogue_refresh}
    )
    assert response.status_code == expected
    assert synced == []


def test_a_booking_of_another_product_is_not_found(ops_client, operations_user, flow, request):
    partner_code, credential_fixture = flow.other_product
    request.getfixturevalue(credential_fixture)
    other = booking_create_draft(partner_code=partner_code, actor=operations_user)
    first = flow.page(flow.steps[0])
    assert ops_client.get(step(first, other)).status_code == 404
    assert ops_client.get(reverse(f"bookings:{first}", args=[999999])).status_code == 404


# --- start and resume ----------------------------------------------------------------------


def test_start_page_creates_a_draft_on_post_only(ops_client, operations_user, flow, catalogue):
    assert ops_client.get(start_url(flow)).status_code == 200
    assert not Booking.objects.exists()
    response = ops_client.post(start_url(flow))
    booking = Booking.objects.get()
    assert booking.status == Status.DRAFT and booking.partner.code == flow.partner_code
    assert booking.created_by == operations_user
    assert response.url == step(flow.page(flow.steps[0]), booking)


def test_start_page_lists_my_unfinished_drafts(ops_client, operations_user, flow, catalogue):
    mine = flow.draft(operations_user, through=flow.half_done)
    page = ops_client.get(start_url(flow)).content.decode()
    assert str(mine) in page
    assert reverse("bookings:resume", args=[mine.pk]) in page


def test_the_book_page_links_to_the_flow(ops_client, flow, catalogue):
    assert start_url(flow) in ops_client.get(reverse("bookings:start")).content.decode()


@pytest.mark.parametrize("flow, through", per_flow(lambda flow: [through for through, _ in flow.resume]))
def test_resume_opens_the_first_unfinished_step(ops_client, operations_user, catalogue, flow, through):
    expected = dict(flow.resume)[through]
    booking = flow.draft(operations_user, through=through)
    response = ops_client.get(reverse("bookings:resume", args=[booking.pk]))
    assert response.url == step(flow.page(expected), booking)


def test_a_skipped_step_sends_back_to_the_first_unfinished_one(ops_client, operations_user, flow, catalogue):
    through, expected = flow.skipped
    booking = flow.draft(operations_user, through=through)
    assert ops_client.get(step(flow.page(flow.contact), booking)).url == step(flow.page(expected), booking)
    assert ops_client.get(step(flow.page("confirm"), booking)).url == step(flow.page(expected), booking)


def test_a_day_now_in_the_past_has_to_be_chosen_again(ops_client, operations_user, flow, catalogue):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    booking = flow.draft(operations_user, through=flow.stages[-1], appointment_date=yesterday)
    assert ops_client.get(step(flow.page("confirm"), booking)).url == step(flow.page("slot"), booking)


def test_a_sent_booking_is_not_editable_any_more(
    ops_client, flow, complete_draft, fake_read, operations_user, django_capture_on_commit_callbacks
):
    booking_submit(booking_id=complete_draft.pk, actor=operations_user)
    for name in flow.pages:
        response = ops_client.get(step(flow.page(name), complete_draft))
        assert response.url == reverse("bookings:status", args=[complete_draft.pk]), name


def test_the_breadcrumb_links_only_reachable_steps(ops_client, operations_user, flow, catalogue):
    through, page, linked, not_linked = flow.breadcrumb
    booking = flow.draft(operations_user, through=through)
    html = ops_client.get(step(flow.page(page), booking)).content.decode()
    nav = html.split('aria-label="Booking steps"')[1].split("</nav>")[0]
    for name in linked:
        assert step(flow.page(name), booking) in nav
    assert 'aria-current="step"' in nav
    for name in not_linked:
        assert step(flow.page(name), booking) not in nav
    assert [label.strip() for label in re.findall(r"\d\. ([^<]+)<", nav)] == list(flow.labels)


# --- the slot page's day -------------------------------------------------------------------


def test_changing_the_day_reloads_only_the_slots(ops_client, operations_user, flow, catalogue, fake_read):
    booking = flow.draft(operations_user, through=flow.slots_ready)
    day = tomorrow() + datetime.timedelta(days=1)
    response = ops_client.get(
        step(flow.page("slots"), booking), {"date": day.isoformat()}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="slots"')
    assert "<html" not in html
    assert fake_read.calls[-1]["date"] == day
    assert response["HX-Push-Url"] == f"{step(flow.page('slot'), booking)}?date={day.isoformat()}"


def test_a_reload_keeps_the_day_in_the_url(ops_client, operations_user, flow, catalogue, fake_read):
    booking = flow.draft(operations_user, through=flow.slots_ready)
    ops_client.get(step(flow.page("slot"), booking), {"date": tomorrow().isoformat()})
    assert fake_read.calls[-1]["date"] == tomorrow()


# --- confirm -------------------------------------------------------------------------------


def test_book_queues_once_and_goes_to_the_status_page(
    ops_client, flow, complete_draft, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("bookings.tasks.send_booking.delay", lambda pk: sent.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        first = ops_client.post(step(flow.page("confirm"), complete_draft))
    with django_capture_on_commit_callbacks(execute=True):
        again = ops_client.post(step(flow.page("confirm"), complete_draft))  # double click / reloaded POST
    status_url = reverse("bookings:status", args=[complete_draft.pk])
    assert first.url == status_url and again.url == status_url
    assert sent == [complete_draft.pk]
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.QUEUED
    assert complete_draft.events.filter(to_status=Status.QUEUED).count() == 1


def test_every_step_survives_a_reload(ops_client, flow, complete_draft, fake_read):
    for name in flow.pages:
        first = ops_client.get(step(flow.page(name), complete_draft))
        second = ops_client.get(step(flow.page(name), complete_draft))
        assert first.status_code == second.status_code == 200, name
    assert flow.contact_name in second.content.decode()  # the last page: confirm
