from django.conf import settings
from django.db import models

from bookings.models.booking import Booking
from bookings.states import Status


class BookingEvent(models.Model):
    """A status change: from, to, who, why and the partner attempt that caused it."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.TextField(blank=True)
    upstream_call = models.ForeignKey(
        "partners.UpstreamCall", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["booking", "created_at"], name="bookingevent_booking")]

    def __str__(self):
        return f"{self.booking}: {self.from_status or '—'} → {self.to_status}"
