"""The bookings list's quick controls: status chips with their counts, date presets, and whether
"More filters" opens. Each chip's count keeps every other filter and drops the status one, so
staff see what choosing that status would show."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from bookings.day_totals import usable as day_totals_kept
from bookings.filters import BookingFilter
from bookings.models import Booking, BookingDayTotal
from bookings.states import Status

# The filters shown above the list; every other one is behind "More filters".
QUICK_FILTERS = ("q", "status", "created_from", "created_to", "page")


@dataclass(frozen=True)
class StatusChip:
    value: str  # "" for all statuses
    label: str
    count: int
    active: bool


@dataclass(frozen=True)
class DatePreset:
    key: str
    label: str
    start: date | None
    end: date | None
    active: bool


def status_counts(queryset: QuerySet[Booking], day_totals: Q | None) -> dict[str, int]:
    """{status: bookings} of ``queryset``, from the day totals where they answer the same question."""
    if day_totals is not None and day_totals_kept():
        rows = BookingDayTotal.objects.filter(day_totals).values("status").annotate(count=Sum("bookings"))
    else:
        rows = queryset.order_by().values("status").annotate(count=Count("*"))
    return {row["status"]: row["count"] for row in rows if row["count"]}


def status_chips(params: QueryDict) -> list[StatusChip]:
    """ "All" and one chip per state that has bookings (or is chosen), with its count."""
    without_status = params.copy()
    without_status.pop("status", None)
    others = BookingFilter(without_status, queryset=Booking.objects.all())
    if not others.is_valid():
        return []
    counts = status_counts(others.qs, others.day_totals_filter())
    chosen = set(params.getlist("status"))
    chips = [StatusChip("", _("All"), sum(counts.values()), not chosen)]
    chips += [
        StatusChip(value, label, counts.get(value, 0), chosen == {value})
        for value, label in Status.choices
        if counts.get(value) or value in chosen
    ]
    return chips


def date_presets(params: QueryDict, today: date | None = None) -> list[DatePreset]:
    """Today, this week (from the locale's first day of the week), this month; the range set
    by hand is "Custom" and opens "More filters"."""
    today = today or timezone.localdate()
    first_weekday = int(formats.get_format("FIRST_DAY_OF_WEEK"))  # 0 = Sunday, as Django counts
    week_start = today - timedelta(days=(today.isoweekday() - first_weekday) % 7)
    ranges = [
        ("any", _("Any time"), None, None),
        ("today", _("Today"), today, today),
        ("week", _("This week"), week_start, today),
        ("month", _("This month"), today.replace(day=1), today),
    ]
    current = (params.get("created_from") or None, params.get("created_to") or None)
    presets = [
        DatePreset(key, label, start, end, current == (start and start.isoformat(), end and end.isoformat()))
        for key, label, start, end in ranges
    ]
    if not any(preset.active for preset in presets):
        presets.append(DatePreset("custom", _("Custom"), None, None, True))
    return presets


def more_filters_open(filterset: BookingFilter) -> bool:
    """Open when a folded filter holds a value or an error, so nothing chosen is hidden."""
    form = filterset.form
    folded = [name for name in form.fields if name not in QUICK_FILTERS]
    chosen = any(filterset.data.get(name) for name in folded)
    custom_dates = any(filterset.data.get(name) for name in ("created_from", "created_to"))
    return chosen or bool(form.errors) or custom_dates and not _is_preset(filterset.data)


def _is_preset(params: QueryDict) -> bool:
    return any(preset.active and preset.key != "custom" for preset in date_presets(params))
