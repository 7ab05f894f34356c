from django.db import models

from partners.models import Partner


class BookingDayTotal(models.Model):
    """How many bookings, and how much, per partner, status, currency and day (portal time zone).

    A read model for the bookings list's totals: a 60-day total adds up about 60 rows per partner,
    status and currency instead of every booking. On PostgreSQL it is written only by the triggers
    that ``bookings.day_totals`` installs on the booking table, in the same transaction as the
    bookings they count; the application never writes it. ``priced`` counts the bookings with an
    amount, so a total of bookings without any stays "no amount" rather than 0.
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
