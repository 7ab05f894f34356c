"""The dashboard: each partner's bookings today, call health, last error, credential; who needs a person."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings import selectors
from bookings.states import Status
from partners.models import Partner, UpstreamCall
from tests.factories import days_ago, get_partner, make_booking, make_call

pytestmark = pytest.mark.django_db
URL = reverse("bookings:dashboard")


def health_of(response, code):
    return next(row for row in response.context["partner_health"] if row.partner.code == code)


def test_partner_health(client, operations_user, sanar_video_credential):
    video = get_partner(Partner.Code.SANAR_VIDEO)
    make_booking(status=Status.AWAITING_PAYMENT)
    make_booking(status=Status.AWAITING_PAYMENT)
    make_booking(status=Status.FAILED)
    make_booking(status=Status.FAILED, created_at=days_ago(2))  # not today
    for latency in (100, 200, 300, 400):
        make_call(partner=video, latency_ms=latency)
    make_call(
        partner=video,
        outcome=UpstreamCall.Outcome.SERVER_ERROR,
        latency_ms=5000,
        error="Partner server error (5000)",
        created_at=timezone.now() - datetime.timedelta(hours=2),
    )
    make_call(partner=video, outcome=UpstreamCall.Outcome.TIMEOUT_AFTER_SEND, latency_ms=9000, created_at=days_ago(2))
    sanar_video_credential.is_failing = True
    sanar_video_credential.failing_reason = "1002 Unauthorized"
    sanar_video_credential.last_checked_at = timezone.now()
    sanar_video_credential.last_check_result = "Unauthorized"
    sanar_video_credential.save()
    client.force_login(operations_user)

    response = client.get(URL)

    row = health_of(response, Partner.Code.SANAR_VIDEO)
    assert row.today == [("awaiting_payment", "Awaiting payment", 2), ("failed", "Failed", 1)]
    assert (row.calls, row.ok_calls) == (5, 4)  # the call 2 days ago is outside the 24 h
    assert row.success_percent == 80
    assert row.p95_latency_ms == pytest.approx(4080.0)  # 400 + 0.8 × (5000 − 400), as percentile_cont
    # The most recent failure (2 h ago), not the older timeout.
    assert row.partner.last_error == "Partner server error (5000)"
    assert row.partner.last_error_outcome == UpstreamCall.Outcome.SERVER_ERROR
    assert row.credential == sanar_video_credential
    body = response.content.decode()
    assert "success 80.0 %" in body and "Failing" in body and "1002 Unauthorized" in body
    sandicare = health_of(response, Partner.Code.SANDICARE)
    assert (sandicare.calls, sandicare.success_percent, sandicare.credential) == (0, None, None)
    assert "No active credential." in body


def test_p95_is_interpolated_over_the_calls_with_a_latency():
    video = get_partner()
    for latency in (10, 20, 35, 50, 80, 120, 130, 400, 900, 1500, 2100):
        make_call(partner=video, latency_ms=latency)
    make_call(partner=video, latency_ms=None, outcome=UpstreamCall.Outcome.CONNECTION_ERROR)
    since = timezone.now() - datetime.timedelta(hours=1)
    calls, ok, p95 = selectors.upstream_call_stats(since=since)[video.pk]
    assert (calls, ok) == (12, 11)
    assert p95 == pytest.approx(1800.0)


def test_needing_a_person_links_to_the_detail_for_staff_only(persona_client):
    waiting = make_booking(status=Status.NEEDS_ATTENTION)
    make_booking(status=Status.VERIFY_WITH_PARTNER)
    make_booking(status=Status.AWAITING_PAYMENT)
    body = persona_client("operations").get(URL).content.decode()
    assert reverse("bookings:detail", args=[waiting.pk]) in body
    assert "Verify with partner" in body
    admin_response = persona_client("partner_admin").get(URL)
    assert len(admin_response.context["needing_a_person"]) == 2
    assert reverse("bookings:detail", args=[waiting.pk]) not in admin_response.content.decode()


def test_dashboard_query_count_does_not_grow_with_data(client, finance_user, sanar_video_credential):
    client.force_login(finance_user)
    make_booking(status=Status.NEEDS_ATTENTION)
    make_call()
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for code in Partner.Code.values:
        partner = get_partner(code)
        for status in (Status.NEEDS_ATTENTION, Status.VERIFY_WITH_PARTNER, Status.FAILED):
            make_booking(partner=partner, status=status)
            make_call(partner=partner, outcome=UpstreamCall.Outcome.SERVER_ERROR, error="boom")
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large) == len(small)


def test_last_error_without_text_shows_the_outcome(client, finance_user):
    make_call(outcome=UpstreamCall.Outcome.BAD_RESPONSE, error="")
    client.force_login(finance_user)
    response = client.get(URL)
    assert health_of(response, Partner.Code.SANAR_VIDEO).last_error == "Bad response"
    assert health_of(response, Partner.Code.SANDICARE).last_error == ""
    assert "Bad response" in response.content.decode()
