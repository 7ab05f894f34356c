"""The banner every staff page shows while a partner keeps failing, read from the cache."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format

from bookings.states import Status
from partners import outages
from partners.models import Partner, UpstreamCall
from tests.factories import get_partner, make_booking, make_call

pytestmark = pytest.mark.django_db
Outcome = UpstreamCall.Outcome
BANNER = 'class="alert alert-warning outage-banner"'


def failing(code=Partner.Code.SANAR_VIDEO, outcome=Outcome.SERVER_ERROR, count=3) -> UpstreamCall:
    partner = get_partner(code)
    calls = [
        make_call(partner=partner, outcome=outcome, created_at=timezone.now() - timedelta(minutes=count - n))
        for n in range(count)
    ]
    return calls[0]


@pytest.mark.parametrize(
    "persona, page",
    [
        ("operations", "bookings:dashboard"),
        ("operations", "bookings:list"),
        ("operations", "patients:list"),
        ("finance", "bookings:dashboard"),
        ("finance", "bookings:settlements"),
        ("partner_admin", "bookings:partner-health"),
    ],
)
def test_every_staff_page_shows_the_banner(persona_client, persona, page):
    first = failing()
    body = persona_client(persona).get(reverse(page)).content.decode()
    assert BANNER in body
    since = time_format(timezone.localtime(first.created_at), "TIME_FORMAT")
    assert f"Sanar video consultation is not answering since {since}." in body
    assert "retried by themselves" in body


def test_the_admin_shows_it_too(client, partner_admin_user):
    failing(Partner.Code.SANDICARE)
    client.force_login(partner_admin_user)
    body = client.get(reverse("admin:index")).content.decode()
    assert "Sandicare teleconsult enrollment is not answering since" in body


@pytest.mark.parametrize(
    "outcome", [Outcome.SLOT_UNAVAILABLE, Outcome.NOT_FOUND, Outcome.VALIDATION, Outcome.UNAUTHORIZED]
)
def test_answers_about_the_request_or_the_key_show_no_banner(ops_client, outcome):
    failing(outcome=outcome, count=5)
    assert BANNER not in ops_client.get(reverse("bookings:dashboard")).content.decode()


def test_fewer_failures_than_the_threshold_show_no_banner(ops_client, settings):
    settings.PARTNER_OUTAGE_FAILURES = 4
    failing(count=3)
    assert BANNER not in ops_client.get(reverse("bookings:dashboard")).content.decode()


def test_a_run_that_began_yesterday_shows_the_day(ops_client):
    partner = get_partner()
    make_call(partner=partner, outcome=Outcome.CONNECTION_ERROR, created_at=timezone.now() - timedelta(days=1))
    failing(outcome=Outcome.CONNECTION_ERROR)
    body = ops_client.get(reverse("bookings:dashboard")).content.decode()
    assert BANNER in body
    yesterday = date_format(timezone.localdate() - timedelta(days=1), "SHORT_DATE_FORMAT")
    assert f"is not answering since {yesterday}" in body


@pytest.mark.parametrize("page", ["bookings:dashboard", "bookings:list"])
def test_the_banner_adds_no_query_once_cached(ops_client, page, operations_user):
    make_booking(status=Status.NEEDS_ATTENTION, created_by=operations_user)

    def queries() -> int:
        ops_client.get(reverse(page))  # fills the caches (banner, filter choices)
        with CaptureQueriesContext(connection) as captured:
            assert ops_client.get(reverse(page)).status_code == 200
        return len(captured)

    without = queries()
    cache.clear()
    failing()
    failing(Partner.Code.SANDICARE)
    with_outages = queries()
    assert with_outages == without
    assert BANNER in ops_client.get(reverse(page)).content.decode()


def test_a_fragment_does_not_read_the_outages(ops_client):
    booking = make_booking(status=Status.QUEUED)
    failing()
    assert ops_client.get(reverse("bookings:status-panel", args=[booking.pk])).status_code == 200
    assert cache.get(outages.CACHE_KEY) is None


def test_anonymous_pages_show_no_banner(client):
    failing()
    assert BANNER not in client.get(reverse("accounts:login")).content.decode()
