"""How old a patient is, and the age groups a child has to fit for Sanar's vaccination services.

Forms and the vaccination flow ask these questions; the answers do not depend on a form.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext


def age_on(dob: datetime.date, today: datetime.date) -> tuple[int, int, int]:
    """(years, months, days) between a date of birth and ``today``."""
    months = (today.year - dob.year) * 12 + today.month - dob.month
    if today.day < dob.day:
        months -= 1
    anniversary = _add_months(dob, months)
    return months // 12, months % 12, (today - anniversary).days


def age_label(dob: datetime.date | None, *, today: datetime.date | None = None) -> str:
    """ "34 years", "8 months", "12 days": what staff read next to a date of birth."""
    if not dob:
        return ""
    today = today or timezone.localdate()
    if dob > today:
        return ""
    years, months, days = age_on(dob, today)
    if years >= 2:
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    if years or months:
        total = years * 12 + months
        return ngettext("%(count)d month", "%(count)d months", total) % {"count": total}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def _add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- age groups ----------------------------------------------------------------------------

_AGE_GROUP = re.compile(
    r"^\s*(?P<low>\d+)\s*(?P<low_unit>months?|years?)?\s*(?:-|–|to)\s*(?P<high>\d+)\s*(?P<high_unit>months?|years?)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AgeGroup:
    """An age range as Sanar writes it: "0-2 years", "6-18 months", "6 months-18 years".

    Both bounds count completed units and are inclusive: "0-2 years" takes a child until
    the day before their third birthday, "6-18 months" until they are 19 months old.
    """

    label: str
    low_months: int
    high: int
    high_in_years: bool

    def fits(self, dob: datetime.date, on: datetime.date) -> bool:
        years, months, _ = age_on(dob, on)
        total_months = years * 12 + months
        within_high = years <= self.high if self.high_in_years else total_months <= self.high
        return total_months >= self.low_months and within_high

    @property
    def months_range(self) -> tuple[int, int]:
        """[first month, first month past the range) of age."""
        return self.low_months, (self.high + 1) * 12 if self.high_in_years else self.high + 1


def parse_age_group(text: str) -> AgeGroup | None:
    """The range in ``text``; None when Sanar gives none (or one we cannot read): any age."""
    match = _AGE_GROUP.match(text or "")
    if not match:
        return None
    high_in_years = match["high_unit"].lower().startswith("year")
    low_in_years = match["low_unit"].lower().startswith("year") if match["low_unit"] else high_in_years
    low = int(match["low"])
    return AgeGroup(
        label=text.strip(),
        low_months=low * 12 if low_in_years else low,
        high=int(match["high"]),
        high_in_years=high_in_years,
    )


def age_groups_no_child_fits(services) -> list[tuple[object, AgeGroup]]:
    """Each service with its age group when no child fits all of them at once; empty when one does."""
    groups = [(service, group) for service in services if (group := parse_age_group(service.age_group))]
    ranges = [group.months_range for _, group in groups]
    if ranges and max(low for low, _ in ranges) >= min(high for _, high in ranges):
        return groups
    return []


def age_problems(dob: datetime.date | None, services, on: datetime.date | None) -> list[str]:
    """Why a child born on ``dob`` cannot have these services on ``on`` (empty: they can)."""
    if dob is None:
        return []
    on = on or timezone.localdate()
    problems = []
    for service in services:
        group = parse_age_group(service.age_group)
        if group and not group.fits(dob, on):
            problems.append(
                gettext("%(service)s is for children aged %(group)s; on %(day)s this child will be %(age)s.")
                % {
                    "service": service.name,
                    "group": group.label,
                    "day": date_format(on),
                    "age": age_label(dob, today=on) or gettext("not yet born"),
                }
            )
    return problems
