"""The time zone whose days ``BookingDayTotal`` counts in, and the rebuild that changes it.

The triggers declared on ``Booking`` (``bookings.models.day_total``) keep the day totals; they
take the day of a booking in the zone ``bookings_day_totals_zone()`` returns. That zone is a
deployment setting (``TIME_ZONE``), not part of the schema, so it lives in this one SQL function
rather than in the triggers: migration 0007 creates it as UTC, and ``rebuild`` (run after
``migrate`` whenever ``TIME_ZONE`` differs from it) rewrites it for the current ``TIME_ZONE`` and
recounts every day total. Until then the list adds its totals up from the bookings (``usable``).
"""

import logging
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from bookings.models.day_total import UPSERT

logger = logging.getLogger(__name__)

EVERY_BOOKING = "SELECT partner_id, status, created_at, currency, amount, 1 AS sign FROM bookings_booking"


def _zone_function(zone: str) -> str:
    ZoneInfo(zone)  # only a valid zone name is written into the function
    return (
        "CREATE OR REPLACE FUNCTION bookings_day_totals_zone() RETURNS text LANGUAGE sql STABLE "
        f"AS $$ SELECT '{zone}'::text $$"
    )


def rebuild(using: str = DEFAULT_DB_ALIAS) -> None:
    """Count every day total again in ``settings.TIME_ZONE``, in one transaction."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        # Writes wait until the zone is changed and the totals recounted; reads go on.
        cursor.execute("LOCK TABLE bookings_booking IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(_zone_function(settings.TIME_ZONE))
        cursor.execute("DELETE FROM bookings_bookingdaytotal")
        cursor.execute(UPSERT.replace("CHANGES", EVERY_BOOKING))
    installed_zone.cache_clear()


@cache
def installed_zone(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """The time zone the day totals are kept in; None before migration 0007. Read once per process."""
    with connections[alias].cursor() as cursor:
        # Looked up first: calling a missing function would abort the surrounding transaction.
        cursor.execute("SELECT to_regproc('bookings_day_totals_zone') IS NOT NULL")
        if not cursor.fetchone()[0]:
            logger.warning("booking day totals are not installed: totals are added up from the bookings")
            return None
        cursor.execute("SELECT bookings_day_totals_zone()")
        return cursor.fetchone()[0]


def usable(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the day totals are kept, with the day boundaries of the current time zone."""
    return installed_zone(alias) == timezone.get_current_timezone_name()
