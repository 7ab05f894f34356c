import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessRecord(models.Model):
    """One showing of a patient's data to a user: appended, never changed or removed.

    Booking and patient are plain ids, not foreign keys: erasing a booking must not reach back
    into this table, and a record outlives what it names.
    """

    class Kind(models.TextChoices):
        BOOKING_RECORD = "booking_record", _("Booking record")
        BOOKING_STATUS = "booking_status", _("Booking status page")
        HANDOFF_SLIP = "handoff_slip", _("Printable slip")
        BOOKING_EXPORT = "booking_export", _("Bookings CSV export")
        API_BOOKING_LIST = "api_booking_list", _("API: bookings")
        API_BOOKING = "api_booking", _("API: one booking")
        PATIENT = "patient", _("Patient page")

    # PROTECT: a user who saw patient data is deactivated, not deleted, so the record keeps them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what"), max_length=32, choices=Kind.choices)
    booking_id = models.BigIntegerField(_("booking id"), null=True, blank=True, db_index=True)
    patient_id = models.BigIntegerField(_("patient id"), null=True, blank=True, db_index=True)
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-created_at", "-id"]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M:%S}"
