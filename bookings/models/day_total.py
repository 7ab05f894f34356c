import pgtrigger
from django.db import models

from partners.models import Partner


class BookingDayTotal(models.Model):
    """How many bookings, and how much, per partner, status, currency and day (portal time zone).

    A read model for the bookings list's totals: at 1,000,000 bookings the unfiltered list adds
    up ~17,000 rows instead of every booking (docs/performance.md). It is written only by the
    triggers declared on ``Booking`` (``DAY_TOTAL_TRIGGERS`` below), in the same transaction as
    the bookings they count; the application never writes it. ``priced`` counts the bookings with
    an amount, so a total of bookings without any stays "no amount" rather than 0.
    """

    # No index of its own: the unique key below starts with the partner.
    partner = models.ForeignKey(Partner, on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    status = models.CharField(max_length=24)
    currency = models.CharField(max_length=3)
    day = models.DateField()
    bookings = models.IntegerField()
    priced = models.IntegerField()
    amount = models.DecimalField(max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "status", "day", "currency"],
                include=["bookings", "priced", "amount"],
                name="booking_day_total_key",
            )
        ]

    def __str__(self):
        return f"{self.day} {self.partner_id} {self.status} {self.currency}: {self.bookings}"


# Each changed booking counts +1 (its new row) or -1 (its old row) in the group of its partner,
# status, day and currency; a group whose changes cancel out is left alone. Groups are upserted
# in key order, so two transactions never wait on each other in a cycle. The day is the creation
# date in the zone ``bookings_day_totals_zone()`` names (``bookings.day_totals`` writes it).
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


def _upsert(changes: str) -> str:
    return f"{UPSERT.replace('CHANGES', changes)}; RETURN NULL;"


# Declared on ``Booking`` (``Meta.triggers``). Statement-level: one upsert per statement, from its
# transition tables. PostgreSQL allows transition tables only on a trigger for a single event,
# hence one trigger per event.
DAY_TOTAL_TRIGGERS = [
    pgtrigger.Trigger(
        name="day_totals_insert",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=pgtrigger.Insert,
        referencing=pgtrigger.Referencing(new="new_rows"),
        func=_upsert(ADDED),
    ),
    pgtrigger.Trigger(
        name="day_totals_update",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=pgtrigger.Update,
        referencing=pgtrigger.Referencing(old="old_rows", new="new_rows"),
        func=_upsert(f"{ADDED} UNION ALL {REMOVED}"),
    ),
    pgtrigger.Trigger(
        name="day_totals_delete",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=pgtrigger.Delete,
        referencing=pgtrigger.Referencing(old="old_rows"),
        func=_upsert(REMOVED),
    ),
    pgtrigger.Trigger(
        name="day_totals_truncate",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=pgtrigger.Truncate,
        func="DELETE FROM bookings_bookingdaytotal; RETURN NULL;",
    ),
]
