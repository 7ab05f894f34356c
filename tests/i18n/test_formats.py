"""One format per kind, in the reader's language: money through Babel, dates by the named formats."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from bookings.templatetags.money import format_money


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "SAR\xa01,290.50"),
        ("ar", "\u200f1,290.50\xa0ر.س.\u200f"),
        ("es", "1.290,50\xa0SAR"),
    ],
)
def test_money_is_written_the_readers_way(language, expected):
    with translation.override(language):
        assert format_money(Decimal("1290.5"), "SAR") == expected


def test_money_filter_isolates_the_amount_in_right_to_left_text():
    with translation.override("ar"):
        html = Template("{% load money %}{{ amount|money:'MXN' }}").render(Context({"amount": Decimal("90")}))
    assert html.startswith('<bdi class="money">') and "90.00" in html


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("en", "30", "+SAR\xa030.00"),
        ("en", "-30", "-SAR\xa030.00"),
        # The sign stays beside the digits, inside the marks that keep the amount right to left.
        ("ar", "30", "\u200f+30.00\xa0ر.س.\u200f"),
        ("ar", "-30", "\u200f-30.00\xa0ر.س.\u200f"),
        ("es", "30", "+30,00\xa0SAR"),
        ("en", "0", "SAR\xa00.00"),
    ],
)
def test_a_change_of_money_carries_its_sign_where_the_language_writes_it(language, amount, expected):
    with translation.override(language):
        html = Template("{% load money %}{{ amount|money_change:'SAR' }}").render(Context({"amount": Decimal(amount)}))
    assert html == f'<bdi class="money">{expected}</bdi>'


def test_no_amount_is_nothing_and_an_unknown_currency_is_still_shown():
    assert format_money(None, "SAR") == ""
    assert format_money("12.5", "ZZZ").startswith("ZZZ") or "12.50" in format_money("12.5", "ZZZ")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Thursday 3 December 2026"), ("ar", "الخميس 3 ديسمبر 2026"), ("es", "jueves 3 de diciembre de 2026")],
)
def test_dates_use_the_languages_named_format(language, expected):
    with translation.override(language):
        rendered = Template('{{ day|date:"DATE_FORMAT" }}').render(Context({"day": datetime.date(2026, 12, 3)}))
    assert rendered == expected


def test_timestamps_are_shown_in_the_portal_time_zone(settings):
    moment = datetime.datetime(2026, 12, 2, 21, 30, tzinfo=datetime.UTC)  # 00:30 the next day in Riyadh
    with translation.override("en"):
        rendered = Template('{{ at|date:"SHORT_DATETIME_FORMAT" }}').render(Context({"at": moment}))
    assert rendered == "03/12/2026 00:30"
