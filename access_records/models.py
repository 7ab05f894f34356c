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
        CANCEL_CONFIRM = "cancel_confirm", _("Cancel confirmation")
        BOOKING_EXPORT = "booking_export", _("Bookings CSV export")
        API_BOOKING_LIST = "api_booking_list", _("API: bookings")
        API_BOOKING = "api_booking", _("API: one booking")
        PATIENT = "patient", _("Patient page")
        PATIENT_EDIT = "patient_edit", _("Patient edit form")
        PATIENT_SEARCH = "patient_search", _("Patient search results")
        BOOKING_LIST = "booking_list", _("Bookings list")
        DASHBOARD = "dashboard", _("Home page lists")
        FLOW_START = "flow_start", _("Booking start page: drafts and patient search")
        FLOW_STEP = "flow_step", _("Booking step showing the patient")
        ENROLLMENT_HISTORY = "enrollment_history", _("Enrollment history")
        ADMIN_BOOKING_LIST = "admin_booking_list", _("Admin: bookings")
        ADMIN_BOOKING = "admin_booking", _("Admin: one booking")
        ADMIN_PATIENT_LIST = "admin_patient_list", _("Admin: patients")
        ADMIN_PATIENT = "admin_patient", _("Admin: one patient")
        ADMIN_MESSAGE_LIST = "admin_message_list", _("Admin: messages")
        ADMIN_MESSAGE = "admin_message", _("Admin: one message")
        REQUEST_FIND = "request_find", _("Patient request: search")
        REQUEST_EXPORT_JSON = "request_export_json", _("Patient request: JSON export")
        REQUEST_EXPORT_CSV = "request_export_csv", _("Patient request: CSV export")
        REQUEST_ERASE = "request_erase", _("Patient request: erasure")

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
            # Protect cannot refuse a TRUNCATE (it fires no row trigger): a statement trigger does.
            pgtrigger.Trigger(
                name="no_truncate",
                operation=pgtrigger.Truncate,
                level=pgtrigger.Statement,
                when=pgtrigger.Before,
                func="RAISE EXCEPTION 'pgtrigger: Cannot truncate % table', TG_TABLE_NAME;",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M:%S}"
