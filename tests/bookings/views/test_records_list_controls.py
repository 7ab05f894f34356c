"""The bookings list's quick controls: search first, status chips with counts, date presets,
and "More filters" folded unless a folded filter is in use."""

import datetime
import re

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from bookings import list_controls
from bookings.states import Status
from partners.models import Partner
from tests.factories import days_ago, get_partner, make_booking

pytestmark = pytest.mark.django_db
URL = reverse("bookings:list")


@pytest.fixture
def ops(client, operations_user):
    client.force_login(operations_user)
    return client


def chips(response) -> dict[str, tuple[int, bool]]:
    return {chip.value: (chip.count, chip.active) for chip in response.context["status_chips"]}


def test_search_comes_before_every_other_filter(ops):
    html = ops.get(URL).content.decode()
    form = html[html.index('role="search"') :]
    assert form.index('name="q"') < form.index('name="partner"')
    assert form.index('name="q"') < form.index("<details")


def test_status_chips_count_each_state_under_the_other_filters(ops):
    make_booking(status=Status.AWAITING_PAYMENT)
    make_booking(status=Status.AWAITING_PAYMENT)
    make_booking(status=Status.FAILED)
    make_booking(status=Status.FAILED, partner=get_partner(Partner.Code.SANAR_VACCINATION))

    everything = chips(ops.get(URL))
    assert everything[""] == (4, True)
    assert everything[Status.AWAITING_PAYMENT] == (2, False)
    assert everything[Status.FAILED] == (2, False)
    assert Status.RECONCILED not in everything  # no booking in that state: no chip

    # A chosen status keeps the others' counts; another filter changes them.
    chosen = chips(ops.get(URL, {"status": Status.FAILED, "partner": Partner.Code.SANAR_VIDEO}))
    assert chosen[""] == (3, False)
    assert chosen[Status.FAILED] == (1, True)
    assert chosen[Status.AWAITING_PAYMENT] == (2, False)


def test_a_chip_links_to_its_status_alone_and_keeps_the_search(ops):
    make_booking(status=Status.FAILED, patient_name="Layla")
    html = ops.get(URL, {"q": "Layla", "page": "1"}).content.decode()
    link = re.search(r'href="(\?[^"]*status=failed[^"]*)"', html).group(1)
    assert "q=Layla" in link and "page" not in link


def test_date_presets_follow_the_locale_week_and_mark_the_current_one():
    wednesday = datetime.date(2026, 12, 2)
    presets = {p.key: p for p in list_controls.date_presets(QueryDict(""), today=wednesday)}
    assert presets["any"].active
    assert (presets["today"].start, presets["today"].end) == (wednesday, wednesday)
    assert presets["week"].start == datetime.date(2026, 11, 29)  # English weeks start on Sunday
    assert presets["month"].start == datetime.date(2026, 12, 1)

    this_month = QueryDict("created_from=2026-12-01&created_to=2026-12-02")
    marked = [p.key for p in list_controls.date_presets(this_month, today=wednesday) if p.active]
    assert marked == ["month"]
    by_hand = QueryDict("created_from=2026-11-03&created_to=2026-11-20")
    assert [p.key for p in list_controls.date_presets(by_hand, today=wednesday) if p.active] == ["custom"]


def test_today_preset_lists_only_todays_bookings(ops):
    today = make_booking()
    make_booking(created_at=days_ago(3))
    day = timezone.localdate().isoformat()
    response = ops.get(URL, {"created_from": day, "created_to": day})
    assert [str(b) for b in response.context["page"].object_list] == [today.reference]
    assert [p.key for p in response.context["date_presets"] if p.active] == ["today"]


@pytest.mark.parametrize(
    ("params", "is_open"),
    [
        ({}, False),
        ({"q": "x", "status": Status.FAILED}, False),
        ({"partner": Partner.Code.SANAR_VIDEO}, True),  # a folded filter in use is shown
        ({"amount_min": "lots"}, True),  # so is an error
        ({"created_from": "2026-11-03"}, True),  # custom dates live in "More filters"
    ],
)
def test_more_filters_open_only_when_a_folded_filter_is_in_use(ops, params, is_open):
    response = ops.get(URL, params)
    assert response.context["more_filters_open"] is is_open
    assert ('<details id="more-filters" class="more-filters" open>' in response.content.decode()) is is_open


def test_status_is_chosen_with_check_boxes_not_a_multi_select(ops):
    html = ops.get(URL).content.decode()
    assert 'type="checkbox" name="status" value="failed"' in html
    assert '<select name="status"' not in html


def test_the_folded_filters_are_cached_per_query_and_language(ops, settings):
    """The folded fields are a cached fragment: another query or language renders its own."""
    make_booking(status=Status.AWAITING_PAYMENT)
    english = ops.get(URL, {"amount_min": "5"}).content.decode()
    assert 'name="amount_min" value="5"' in english and ">Anyone<" in english
    other_query = ops.get(URL, {"amount_min": "7"}).content.decode()
    assert 'name="amount_min" value="7"' in other_query
    ops.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    spanish = ops.get(URL, {"amount_min": "5"}).content.decode()
    assert ">Cualquiera<" in spanish and ">Anyone<" not in spanish


def test_the_status_filter_label_follows_the_language_of_the_request(ops, settings):
    """The filter form's class is built once: its status label must not keep the first request's language."""
    ops.get(URL)
    ops.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    arabic = ops.get(URL).content.decode()
    assert '<legend class="form-label fs-6">الحالة</legend>' in arabic
    assert ">Status</legend>" not in arabic
