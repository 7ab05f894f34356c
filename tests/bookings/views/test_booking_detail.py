"""The booking detail page: the timeline, and each role's actions."""

import datetime

import pytest
from django.urls import reverse

from bookings.models import Booking
from bookings.states import Status
from partners.models import Partner, UpstreamCall
from tests.bookings.views.flow_support import url
from tests.factories import get_partner, make_booking, make_call, make_event

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 4, 28, 6, 0, tzinfo=datetime.UTC)


def at(seconds):
    return T0 + datetime.timedelta(seconds=seconds)


def test_timeline_lists_state_changes_and_attempts_in_time_order(client, operations_user):
    booking = make_booking(status=Status.AWAITING_PAYMENT)
    make_event(booking, from_status="", to_status=Status.DRAFT, actor=operations_user, created_at=at(0))
    make_event(
        booking,
        from_status=Status.DRAFT,
        to_status=Status.QUEUED,
        actor=operations_user,
        reason="Sent",
        created_at=at(5),
    )
    failed = make_call(
        booking=booking,
        created_at=at(10),
        attempt=1,
        http_status=200,
        body_status="5000",
        outcome=UpstreamCall.Outcome.SERVER_ERROR,
        latency_ms=812,
        request_body={"patient": {"name": "L*** A***", "mobile": "+9665******67"}},
        response_body='{"status": 5000, "message": "server error"}',
        error="Partner server error",
    )
    ok = make_call(booking=booking, created_at=at(20), attempt=2, latency_ms=140)
    make_event(
        booking, from_status=Status.SUBMITTING, to_status=Status.AWAITING_PAYMENT, upstream_call=ok, created_at=at(20)
    )
    client.force_login(operations_user)

    response = client.get(url("detail", booking))

    assert response.status_code == 200
    timeline = response.context["timeline"]
    kinds = [("call", e.call.attempt) if e.call else ("event", e.event.to_status) for e in timeline]
    assert kinds == [
        ("event", Status.DRAFT),
        ("event", Status.QUEUED),
        ("call", 1),
        ("call", 2),  # the attempt comes before the state change it caused
        ("event", Status.AWAITING_PAYMENT),
    ]
    body = response.content.decode()
    for text in (
        "attempt #1",
        "Partner server error",
        "HTTP 200",
        'body status <bdi dir="ltr">5000</bdi>',
        "812 ms",
        "L*** A***",
        "by ops: Sent",
    ):
        assert text in body, text
    assert "server error" in body and "<details>" in body
    assert failed.request_body["patient"]["mobile"] in body


@pytest.mark.parametrize(
    "persona, status, visible, hidden",
    [
        (
            "operations",
            Status.NEEDS_ATTENTION,
            ["detail-retry"],
            ["detail-cancel", "detail-resolve", "detail-reconcile"],
        ),
        ("operations", Status.DRAFT, ["detail-cancel"], ["detail-retry", "detail-resolve", "detail-reconcile"]),
        ("operations", Status.VERIFY_WITH_PARTNER, ["detail-resolve"], ["detail-retry", "detail-reconcile"]),
        (
            "operations",
            Status.AWAITING_PAYMENT,
            [],
            ["detail-retry", "detail-cancel", "detail-resolve", "detail-reconcile"],
        ),
        ("finance", Status.AWAITING_PAYMENT, ["detail-reconcile"], ["detail-retry", "detail-cancel", "detail-resolve"]),
        (
            "finance",
            Status.NEEDS_ATTENTION,
            [],
            ["detail-retry", "detail-cancel", "detail-resolve", "detail-reconcile"],
        ),
    ],
)
def test_actions_offered_by_role_and_state(persona_client, persona, status, visible, hidden):
    booking = make_booking(status=status)
    body = persona_client(persona).get(url("detail", booking)).content.decode()
    for name in visible:
        assert url(name, booking) in body, name
    for name in hidden:
        assert url(name, booking) not in body, name
    assert "<script>" not in body and "style=" not in body


def test_retry_queues_a_booking_that_needs_attention(
    client, operations_user, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("bookings.services.actions.enqueue_send", sent.append)
    booking = make_booking(status=Status.NEEDS_ATTENTION)
    client.force_login(operations_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("detail-retry", booking))
    assert response.status_code == 302 and response.url == url("detail", booking)
    assert Booking.objects.get(pk=booking.pk).status == Status.QUEUED
    assert sent == [booking.pk]


def test_retry_in_the_wrong_state_is_a_message(client, operations_user):
    booking = make_booking(status=Status.AWAITING_PAYMENT)
    client.force_login(operations_user)
    response = client.post(url("detail-retry", booking), follow=True)
    assert "Retrying is not possible" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == Status.AWAITING_PAYMENT


def test_cancel_a_draft(client, operations_user):
    booking = make_booking(status=Status.DRAFT)
    client.force_login(operations_user)
    client.post(url("detail-cancel", booking))
    event = Booking.objects.get(pk=booking.pk).events.get()
    assert (event.to_status, event.actor) == (Status.CANCELLED, operations_user)


def test_resolve_verification_with_the_partner_answer(client, operations_user):
    booking = make_booking(status=Status.VERIFY_WITH_PARTNER, upstream_booking_id="")
    client.force_login(operations_user)
    response = client.post(
        url("detail-resolve", booking),
        {
            "booked": "yes",
            "upstream_booking_id": "SNR-777",
            "handoff_url": "https://pay.example/777",
            "reason": "Phoned",
        },
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.upstream_booking_id, booking.payment_url) == (
        Status.AWAITING_PAYMENT,
        "SNR-777",
        "https://pay.example/777",
    )


def test_resolve_errors_are_shown_against_the_fields(client, operations_user):
    booking = make_booking(status=Status.VERIFY_WITH_PARTNER, upstream_booking_id="")
    client.force_login(operations_user)
    response = client.post(url("detail-resolve", booking), {"booked": "yes", "handoff_url": "http://insecure"})
    assert response.status_code == 400
    form = response.context["resolve_form"]
    assert "upstream_booking_id" in form.errors and "handoff_url" in form.errors
    assert Booking.objects.get(pk=booking.pk).status == Status.VERIFY_WITH_PARTNER


def test_resolve_as_not_booked_fails_the_booking(client, operations_user):
    booking = make_booking(status=Status.VERIFY_WITH_PARTNER, partner=get_partner(Partner.Code.SANDICARE))
    client.force_login(operations_user)
    client.post(url("detail-resolve", booking), {"booked": "no"})
    assert Booking.objects.get(pk=booking.pk).status == Status.FAILED


def test_finance_marks_a_booking_reconciled_with_a_reason(client, finance_user):
    booking = make_booking(status=Status.ENROLLED, partner=get_partner(Partner.Code.SANDICARE))
    client.force_login(finance_user)
    missing_reason = client.post(url("detail-reconcile", booking), {"reason": ""})
    assert missing_reason.status_code == 400
    assert "reason" in missing_reason.context["reconcile_form"].errors
    client.post(url("detail-reconcile", booking), {"reason": "Statement April, line 12"})
    booking.refresh_from_db()
    assert booking.status == Status.RECONCILED
    assert booking.events.get().reason_text == "Marked reconciled: Statement April, line 12"


@pytest.mark.parametrize(
    "persona, action, allowed",
    [
        ("finance", "detail-retry", False),
        ("finance", "detail-cancel", False),
        ("finance", "detail-resolve", False),
        ("operations", "detail-reconcile", False),
        ("partner_admin", "detail-retry", False),
        ("partner_admin", "detail-reconcile", False),
    ],
)
def test_actions_are_refused_to_other_roles(persona_client, persona, action, allowed):
    booking = make_booking(status=Status.NEEDS_ATTENTION)
    assert persona_client(persona).post(url(action, booking), {"reason": "x"}).status_code == 403
    assert Booking.objects.get(pk=booking.pk).status == Status.NEEDS_ATTENTION


def test_actions_need_post_and_an_existing_booking(client, operations_user):
    booking = make_booking(status=Status.NEEDS_ATTENTION)
    client.force_login(operations_user)
    assert client.get(url("detail-retry", booking)).status_code == 405
    assert client.post(reverse("bookings:detail-retry", args=[999_999])).status_code == 404
    assert client.get(reverse("bookings:detail", args=[999_999])).status_code == 404
