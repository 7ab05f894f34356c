"""A partner that stopped answering: since when, and whether it counts as out."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partners import outages
from partners.models import Partner, UpstreamCall
from tests.factories import get_partner, make_call

pytestmark = pytest.mark.django_db
Outcome = UpstreamCall.Outcome


def ago(minutes: float):
    return timezone.now() - timedelta(minutes=minutes)


def failures(partner, *minutes_ago: float, outcome=Outcome.SERVER_ERROR):
    return [make_call(partner=partner, outcome=outcome, created_at=ago(m)) for m in minutes_ago]


def codes(found):
    return [outage.partner.code for outage in found]


def test_failing_since_is_the_first_failure_after_the_last_answer():
    video = get_partner(Partner.Code.SANAR_VIDEO)
    failures(video, 50, 40)
    make_call(partner=video, outcome=Outcome.OK, created_at=ago(30))
    first, *_ = failures(video, 20, 10, outcome=Outcome.CONNECTION_ERROR)
    failures(video, 5, outcome=Outcome.TIMEOUT_BEFORE_SEND)
    assert outages.failing_since(video) == first.created_at


@pytest.mark.parametrize("answer", [Outcome.OK, Outcome.SLOT_UNAVAILABLE, Outcome.NOT_FOUND, Outcome.UNAUTHORIZED])
def test_any_answer_ends_the_run(answer):
    video = get_partner(Partner.Code.SANAR_VIDEO)
    failures(video, 20, 10)
    make_call(partner=video, outcome=answer, created_at=ago(1))
    assert outages.failing_since(video) is None
    assert outages.partner_outages() == []


def test_a_partner_that_never_answered_fails_since_its_first_call():
    sandicare = get_partner(Partner.Code.SANDICARE)
    first, *_ = failures(sandicare, 90, 60, 3)
    assert outages.failing_since(sandicare) == first.created_at


def test_out_after_enough_failures_in_the_window(settings):
    settings.PARTNER_OUTAGE_FAILURES = 3
    settings.PARTNER_OUTAGE_WINDOW_MINUTES = 15
    video, vaccination = get_partner(Partner.Code.SANAR_VIDEO), get_partner(Partner.Code.SANAR_VACCINATION)
    first, *_ = failures(video, 120, 3, 2, 1)
    failures(vaccination, 30, 20, 2, 1)  # only two inside the window
    found = outages.partner_outages()
    assert codes(found) == [Partner.Code.SANAR_VIDEO]
    assert found[0].since == first.created_at  # the run began before the window
    assert found[0].recent_failures == 3


def test_answers_about_the_request_and_credential_problems_never_make_an_outage():
    video = get_partner(Partner.Code.SANAR_VIDEO)
    for outcome in (Outcome.SLOT_UNAVAILABLE, Outcome.NOT_FOUND, Outcome.VALIDATION, Outcome.UNAUTHORIZED):
        failures(video, 3, 2, 1, outcome=outcome)
    assert outages.partner_outages() == []


def test_an_inactive_partner_is_not_shown():
    video = get_partner(Partner.Code.SANAR_VIDEO)
    failures(video, 3, 2, 1)
    Partner.objects.filter(pk=video.pk).update(is_active=False)
    assert outages.partner_outages() == []


def test_one_query_for_every_partner_then_the_cache():
    for code in Partner.Code.values:
        failures(get_partner(code), 3, 2, 1)
    with CaptureQueriesContext(connection) as first:
        assert len(outages.current_outages()) == 3
    assert len(first) == 1
    with CaptureQueriesContext(connection) as again:
        assert len(outages.current_outages()) == 3
    assert len(again) == 0


def test_each_partner_is_read_after_its_own_last_answer(settings):
    settings.PARTNER_OUTAGE_FAILURES = 3
    video, vaccination = get_partner(Partner.Code.SANAR_VIDEO), get_partner(Partner.Code.SANAR_VACCINATION)
    failures(video, 4, 3, 2)
    make_call(partner=video, outcome=Outcome.OK, created_at=ago(1))
    failures(vaccination, 6, 5)
    make_call(partner=vaccination, outcome=Outcome.OK, created_at=ago(4.5))
    first, *_ = failures(vaccination, 4, 3, 2)
    found = outages.partner_outages()
    assert codes(found) == [Partner.Code.SANAR_VACCINATION]
    assert found[0].since == first.created_at and found[0].recent_failures == 3
