"""The booking horizon and the slot forms shared by the flows with a date picker."""

import datetime

import pytest
from django.utils import timezone

from bookings.forms.schedule import DayForm, SlotChoiceForm, date_choices, default_day, slot_rows
from partners.adapters.base import Slot

TODAY = datetime.date(2026, 11, 23)


def test_date_choices_run_from_today_over_the_horizon(settings):
    settings.BOOKING_HORIZON_DAYS = 30
    days = date_choices(TODAY)
    assert days[0] == TODAY and days[-1] == datetime.date(2026, 12, 22) and len(days) == 30
    settings.BOOKING_HORIZON_DAYS = 7
    assert date_choices(TODAY)[-1] == datetime.date(2026, 11, 29)


def test_default_day_keeps_a_bookable_choice_only():
    assert default_day(datetime.date(2026, 11, 30), TODAY) == datetime.date(2026, 11, 30)
    assert default_day(datetime.date(2026, 11, 1), TODAY) == TODAY
    assert default_day(None, TODAY) == TODAY


@pytest.mark.parametrize("offset, valid", [(-1, False), (0, True), (29, True), (30, False)])
def test_the_day_must_be_inside_the_horizon(offset, valid):
    day = timezone.localdate() + datetime.timedelta(days=offset)
    assert DayForm({"date": day.isoformat()}).is_valid() is valid


def test_the_day_picker_has_min_and_max():
    html = str(DayForm()["date"])
    today = timezone.localdate()
    assert f'min="{today.isoformat()}"' in html
    assert f'max="{(today + datetime.timedelta(days=29)).isoformat()}"' in html


SLOTS = [Slot("S-0930", "09:30", True), Slot("S-0900", "09:00", True), Slot("S-1000", "10:00", False)]


def choice(slot_id):
    form = SlotChoiceForm({"appointment_date": timezone.localdate().isoformat(), "slot_id": slot_id})
    assert form.is_valid(), form.errors
    return form


def test_check_slot_returns_the_live_slot():
    assert choice("S-0900").check_slot(SLOTS) == SLOTS[1]


@pytest.mark.parametrize(
    "slot_id, taken, reason",
    [("S-1000", (), "just taken"), ("S-0900", {"S-0900"}, "just taken"), ("S-2300", (), "not offered")],
)
def test_check_slot_refuses_taken_and_unknown_slots(slot_id, taken, reason):
    form = choice(slot_id)
    assert form.check_slot(SLOTS, taken_ids=taken) is None
    assert reason in form.errors["slot_id"][0]


def test_slot_rows_sort_by_time_and_mark_taken_and_selected():
    rows = slot_rows(SLOTS, taken_ids={"S-0930"}, selected_id="S-0930")
    assert [(r.slot_id, r.taken, r.selected) for r in rows] == [
        ("S-0900", False, False),
        ("S-0930", True, True),
        ("S-1000", True, False),
    ]
