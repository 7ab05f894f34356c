"""Ages: what staff read beside a date of birth, and the age groups a child has to fit."""

import datetime
from types import SimpleNamespace

import pytest

from bookings.ages import age_groups_no_child_fits, age_label, age_problems, parse_age_group

DAY = datetime.date(2026, 11, 23)


def service(name="MMR", age_group="1-6 years"):
    return SimpleNamespace(name=name, age_group=age_group)


@pytest.mark.parametrize(
    "dob, label",
    [
        (datetime.date(1990, 5, 17), "36 years"),
        (datetime.date(1990, 11, 24), "35 years"),
        (datetime.date(2024, 11, 23), "2 years"),
        (datetime.date(2025, 3, 1), "20 months"),
        (datetime.date(2026, 10, 23), "1 month"),
        (datetime.date(2026, 11, 1), "22 days"),
        (datetime.date(2026, 11, 22), "1 day"),
        (datetime.date(2026, 11, 23), "0 days"),
        (datetime.date(2026, 11, 24), ""),
        (None, ""),
    ],
)
def test_age_label(dob, label):
    assert age_label(dob, today=DAY) == label


def test_age_across_month_ends():
    assert age_label(datetime.date(2024, 1, 31), today=datetime.date(2024, 2, 29)) == "29 days"
    assert age_label(datetime.date(2024, 1, 31), today=datetime.date(2024, 3, 31)) == "2 months"


# --- age groups ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, low_months, high, in_years",
    [
        ("0-2 years", 0, 2, True),
        ("1-6 years", 12, 6, True),
        ("4 - 6 Years", 48, 6, True),
        ("6-18 months", 6, 18, False),
        ("6 months-18 years", 6, 18, True),
        ("2 to 6 years", 24, 6, True),
        ("1 year-2 years", 12, 2, True),
    ],
)
def test_age_groups_as_sanar_writes_them(text, low_months, high, in_years):
    group = parse_age_group(text)
    assert (group.low_months, group.high, group.high_in_years) == (low_months, high, in_years)
    assert group.label == text.strip()


@pytest.mark.parametrize("text", ["", None, "all ages", "newborns", "6+ years"])
def test_no_readable_age_group_means_any_age(text):
    assert parse_age_group(text) is None


@pytest.mark.parametrize(
    "group, dob, fits",
    [
        ("0-2 years", DAY, True),  # born today
        ("0-2 years", datetime.date(2023, 11, 24), True),  # 2 years 11 months: still "2"
        ("0-2 years", datetime.date(2023, 11, 23), False),  # third birthday
        ("1-6 years", datetime.date(2025, 11, 24), False),  # one day short of 1 year
        ("1-6 years", datetime.date(2025, 11, 23), True),
        ("6-18 months", datetime.date(2026, 5, 24), False),  # 5 months
        ("6-18 months", datetime.date(2026, 5, 23), True),  # 6 months
        ("6-18 months", datetime.date(2025, 5, 24), True),  # 17 months
        ("6-18 months", datetime.date(2025, 4, 23), False),  # 19 months
        ("6 months-18 years", datetime.date(2008, 11, 24), True),  # 17 years
        ("6 months-18 years", datetime.date(2007, 11, 23), False),  # 19 years
    ],
)
def test_the_child_fits_on_the_appointment_day(group, dob, fits):
    assert parse_age_group(group).fits(dob, DAY) is fits


def test_age_problems_name_the_service_the_group_and_the_childs_age():
    problems = age_problems(datetime.date(2021, 11, 23), [service("Hepatitis B", "0-2 years")], DAY)
    assert problems == [
        "Hepatitis B is for children aged 0-2 years; on Monday 23 November 2026 this child will be 5 years."
    ]


def test_a_service_without_age_group_takes_any_past_date():
    assert age_problems(datetime.date(1990, 1, 1), [service(age_group="")], DAY) == []
    assert age_problems(None, [service(age_group="0-2 years")], DAY) == []


def test_age_groups_no_child_fits_are_named_with_their_services():
    hepb, dtap = service("Hepatitis B", "0-2 years"), service("DTaP booster", "4-6 years")
    assert [(s.name, g.label) for s, g in age_groups_no_child_fits([hepb, dtap, service(age_group="")])] == [
        ("Hepatitis B", "0-2 years"),
        ("DTaP booster", "4-6 years"),
    ]


@pytest.mark.parametrize(
    "groups", [["0-2 years", "6-18 months"], ["1-6 years", "6 months-18 years"], ["0-2 years", ""], [""], []]
)
def test_age_groups_some_child_fits(groups):
    assert age_groups_no_child_fits([service(age_group=group) for group in groups]) == []
