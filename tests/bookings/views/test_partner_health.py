"""Partner health: each partner's calls by whose side they fail on, last failure, credential."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings import selectors_health
from bookings.states import Status
from partners.models import Partner, UpstreamCall
from tests.factories import days_ago, get_partner, make_booking, make_call

pytestmark = pytest.mark.django_db
URL = reverse("bookings:partner-health")
Outcome = UpstreamCall.Outcome


def health_of(response, code):
    return next(row for row in response.context["partner_health"] if row.partner.code == code)


def test_partner_health(client, operations_user, sanar_video_credential):
    video = get_partner(Partner.Code.SANAR_VIDEO)
    make_booking(status=Status.AWAITING_PAYMENT)
    make_booking(status=Status.AWAITING_PAYMENT)
    make_booking(status=Status.FAILED)
    make_booking(status=Status.FAILED, created_at=days_ago(2))  # not today
    for latency in (100, 200, 300, 400):
        make_call(partner=video, latency_ms=latency, credential=sanar_video_credential)
    make_call(
        partner=video,
        outcome=Outcome.SERVER_ERROR,
        latency_ms=5000,
        error="Partner server error (5000)",
        created_at=timezone.now() - datetime.timedelta(hours=2),
    )
    make_call(partner=video, outcome=Outcome.TIMEOUT_AFTER_SEND, latency_ms=9000, created_at=days_ago(2))
    sanar_video_credential.is_failing = True
    sanar_video_credential.failing_reason = "1002 Unauthorized"
    sanar_video_credential.failing_since = timezone.now()
    sanar_video_credential.save()
    client.force_login(operations_user)

    response = client.get(URL)

    row = health_of(response, Partner.Code.SANAR_VIDEO)
    assert row.today == [("awaiting_payment", "Awaiting payment", 2), ("failed", "Failed", 1)]
    assert (row.stats.calls, row.stats.ok, row.stats.partner_failures) == (5, 4, 1)  # 2 days ago: outside 24 h
    assert row.stats.partner_success_percent == 80
    assert row.stats.p95_latency_ms == pytest.approx(4080.0)  # 400 + 0.8 × (5000 − 400), as percentile_cont
    # The most recent failure (2 h ago), not the older timeout.
    assert row.last_failure == "Partner server error (5000)"
    assert row.credential == sanar_video_credential
    body = response.content.decode()
    assert "partner success 80.0 %" in body and "Rejected by the partner since" in body and "1002 Unauthorized" in body
    sandicare = health_of(response, Partner.Code.SANDICARE)
    assert (sandicare.stats.calls, sandicare.stats.partner_success_percent, sandicare.credential) == (0, None, None)
    assert "No active credential: a partner admin must add one." in body


def test_answers_about_the_request_and_credential_problems_are_not_partner_failures(client, finance_user):
    """A Sandicare 404 (no subscription) is the partner answering, not the partner failing."""
    sandicare = get_partner(Partner.Code.SANDICARE)
    make_call(partner=sandicare, operation="enroll")
    make_call(partner=sandicare, outcome=Outcome.NOT_FOUND, http_status=404, error="No active subscription")
    make_call(partner=sandicare, outcome=Outcome.VALIDATION, http_status=400, error="bad national id")
    make_call(partner=sandicare, outcome=Outcome.UNAUTHORIZED, http_status=401, error="bad key")
    make_call(partner=sandicare, outcome=Outcome.SERVER_ERROR, http_status=503, error="Service unavailable")
    video = get_partner(Partner.Code.SANAR_VIDEO)
    make_call(partner=video, outcome=Outcome.SLOT_UNAVAILABLE, body_status="1005")
    make_call(partner=video, outcome=Outcome.NOT_FOUND, body_status="1004")
    make_call(partner=video, outcome=Outcome.SIGNATURE_MISMATCH, body_status="1003")
    client.force_login(finance_user)

    response = client.get(URL)

    stats = health_of(response, Partner.Code.SANDICARE).stats
    assert (stats.calls, stats.ok, stats.partner_failures, stats.request_answers, stats.credential_problems) == (
        5,
        1,
        1,
        2,
        1,
    )
    assert stats.partner_success_percent == 80
    assert health_of(response, Partner.Code.SANDICARE).last_failure == "Service unavailable"
    video_row = health_of(response, Partner.Code.SANAR_VIDEO)
    assert video_row.stats.partner_success_percent == 100
    assert (video_row.stats.request_answers, video_row.stats.credential_problems) == (2, 1)
    assert video_row.last_failure == ""
    assert "No partner failure recorded." in response.content.decode()


def test_p95_is_interpolated_over_the_calls_with_a_latency():
    video = get_partner()
    for latency in (10, 20, 35, 50, 80, 120, 130, 400, 900, 1500, 2100):
        make_call(partner=video, latency_ms=latency)
    make_call(partner=video, latency_ms=None, outcome=Outcome.CONNECTION_ERROR)
    since = timezone.now() - datetime.timedelta(hours=1)
    stats = selectors_health.upstream_call_stats(since=since)[video.pk]
    assert (stats.calls, stats.ok, stats.partner_failures) == (12, 11, 1)
    assert stats.p95_latency_ms == pytest.approx(1800.0)


@pytest.mark.parametrize(
    "setup, wording",
    [
        ({}, "Not used yet: no call has been made with it."),
        ({"accepted": True}, "Accepted by the partner: last successful call"),
        ({"tested": True}, "Test connection run"),
    ],
)
def test_credential_state_says_what_is_known(client, partner_admin_user, sanar_video_credential, setup, wording):
    if setup.get("accepted"):
        make_call(credential=sanar_video_credential)
    if setup.get("tested"):
        sanar_video_credential.last_checked_at = timezone.now()
        sanar_video_credential.last_check_result = "Catalogue read"
        sanar_video_credential.save()
    client.force_login(partner_admin_user)
    body = client.get(URL).content.decode()
    assert wording in body
    assert "Working" not in body and "Last test: never" not in body
    if not setup.get("tested"):
        assert "Test connection has not been run for this credential." in body
    assert reverse("admin:partners_credential_change", args=[sanar_video_credential.pk]) in body


def test_query_count_does_not_grow_with_data(client, finance_user, sanar_video_credential):
    client.force_login(finance_user)
    make_booking(status=Status.NEEDS_ATTENTION)
    make_call()
    cache.clear()  # the partner outages are read, then cached: count them on both pages
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for code in Partner.Code.values:
        partner = get_partner(code)
        for status in (Status.NEEDS_ATTENTION, Status.VERIFY_WITH_PARTNER, Status.FAILED):
            make_booking(partner=partner, status=status)
            make_call(partner=partner, outcome=Outcome.SERVER_ERROR, error="boom")
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large) == len(small)


def test_last_failure_without_text_shows_the_outcome(client, finance_user):
    make_call(outcome=Outcome.BAD_RESPONSE, error="")
    client.force_login(finance_user)
    response = client.get(URL)
    assert health_of(response, Partner.Code.SANAR_VIDEO).last_failure == "Bad response"
    assert health_of(response, Partner.Code.SANDICARE).last_failure == ""
    assert "Bad response" in response.content.decode()
