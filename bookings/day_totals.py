"""The PostgreSQL triggers that keep ``BookingDayTotal`` equal to the bookings it adds up.

Statement-level triggers on the booking table turn each INSERT, UPDATE and DELETE into per-day
deltas (from the statement's transition tables) and add them to the day totals in the same
transaction, in key order, so two transactions never wait on each other in a cycle. A TRUNCATE
of the bookings empties the totals. The day is the booking's creation date in the time zone the
triggers were installed with: ``install`` (run by the migration, and after ``migrate`` when
``TIME_ZONE`` has changed) rebuilds the totals for the current ``TIME_ZONE``.

Other databases (SQLite in development) have no triggers: their totals are added up live.
"""

import logging
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

logger = logging.getLogger(__name__)

# Each changed booking counts +1 (its new row) or -1 (its old row) in the group of its partner,
# status, day and currency; a group whose changes cancel out is left alone.
UPSERT = """
INSERT INTO bookings_bookingdaytotal AS total (partner_id, status, day, currency, bookings, priced, amount)
SELECT partner_id, status, (created_at AT TIME ZONE bookings_day_totals_zone())::date, currency,
       sum(sign), coalesce(sum(sign) FILTER (WHERE amount IS NOT NULL), 0), coalesce(sum(sign * amount), 0)
FROM (CHANGES) AS changed
GROUP BY 1, 2, 3, 4
HAVING sum(sign) <> 0 OR coalesce(sum(sign) FILTER (WHERE amount IS NOT NULL), 0) <> 0
    OR coalesce(sum(sign * amount), 0) <> 0
ORDER BY 1, 2, 3, 4
ON CONFLICT (partner_id, status, day, currency) DO UPDATE SET
    bookings = total.bookings + excluded.bookings,
    priced = total.priced + excluded.priced,
    amount = total.amount + excluded.amount
"""
ADDED = "SELECT partner_id, status, created_at, currency, amount, 1 AS sign FROM new_rows"
REMOVED = "SELECT partner_id, status, created_at, currency, amount, -1 AS sign FROM old_rows"
EVERY_BOOKING = "SELECT partner_id, status, created_at, currency, amount, 1 AS sign FROM bookings_booking"

APPLY = f"""
CREATE OR REPLACE FUNCTION bookings_day_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {UPSERT.replace("CHANGES", ADDED)};
    ELSIF TG_OP = 'UPDATE' THEN {UPSERT.replace("CHANGES", f"{ADDED} UNION ALL {REMOVED}")};
    ELSE {UPSERT.replace("CHANGES", REMOVED)};
    END IF;
    RETURN NULL;
END $$
"""
CLEAR = """
CREATE OR REPLACE FUNCTION bookings_day_totals_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN DELETE FROM bookings_bookingdaytotal; RETURN NULL; END $$
"""
TRIGGERS = {
    "insert": "AFTER INSERT ON bookings_booking REFERENCING NEW TABLE AS new_rows",
    "update": "AFTER UPDATE ON bookings_booking REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows",
    "delete": "AFTER DELETE ON bookings_booking REFERENCING OLD TABLE AS old_rows",
}


def _zone_function(zone: str) -> str:
    ZoneInfo(zone)  # only a valid zone name is written into the function
    return f"CREATE OR REPLACE FUNCTION bookings_day_totals_zone() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT '{zone}'::text $$"


def install(connection: BaseDatabaseWrapper) -> None:
    """(Re)create the triggers for ``settings.TIME_ZONE`` and rebuild every day total, in one transaction."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # Writes wait until the triggers are in place and the totals rebuilt; reads go on.
        cursor.execute("LOCK TABLE bookings_booking IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(_zone_function(settings.TIME_ZONE))
        cursor.execute(APPLY)
        cursor.execute(CLEAR)
        _drop_triggers(cursor)
        for name, when in TRIGGERS.items():
            cursor.execute(
                f"CREATE TRIGGER bookings_day_totals_{name} {when} FOR EACH STATEMENT EXECUTE FUNCTION bookings_day_totals_apply()"
            )
        cursor.execute(
            "CREATE TRIGGER bookings_day_totals_truncate AFTER TRUNCATE ON bookings_booking "
            "FOR EACH STATEMENT EXECUTE FUNCTION bookings_day_totals_clear()"
        )
        cursor.execute("DELETE FROM bookings_bookingdaytotal")
        cursor.execute(UPSERT.replace("CHANGES", EVERY_BOOKING))
    installed_zone.cache_clear()


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        _drop_triggers(cursor)
        for function in ("bookings_day_totals_apply", "bookings_day_totals_clear", "bookings_day_totals_zone"):
            cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
    installed_zone.cache_clear()


def _drop_triggers(cursor) -> None:
    for name in (*TRIGGERS, "truncate"):
        cursor.execute(f"DROP TRIGGER IF EXISTS bookings_day_totals_{name} ON bookings_booking")


@cache
def installed_zone(alias: str = "default") -> str | None:
    """The time zone the day totals are kept in; None where they are not kept. Read once per process."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        # Looked up first: calling a missing function would abort the surrounding transaction.
        cursor.execute("SELECT to_regproc('bookings_day_totals_zone') IS NOT NULL")
        if not cursor.fetchone()[0]:
            logger.warning("booking day totals are not installed: totals are added up from the bookings")
            return None
        cursor.execute("SELECT bookings_day_totals_zone()")
        return cursor.fetchone()[0]


def usable(alias: str = "default") -> bool:
    """Whether the day totals are kept, with the day boundaries of the current time zone."""
    return installed_zone(alias) == timezone.get_current_timezone_name()
