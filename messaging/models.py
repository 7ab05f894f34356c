import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from patients.models import Patient


class Message(models.Model):
    """One message to a patient about a booking. ``intent`` is the key of the click that asked
    for it: the same click posted again finds this row instead of sending a second message."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    class Template(models.TextChoices):
        LINK = "link", _("The booking link")
        REMINDER = "reminder", _("Appointment reminder")

    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.CASCADE, related_name="messages", verbose_name=_("booking")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Patient.Channel.choices)
    recipient_masked = models.CharField(_("recipient"), max_length=254, help_text=_("Masked as in the call log."))
    template = models.CharField(_("template"), max_length=16, choices=Template.choices, default=Template.LINK)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    provider_id = models.CharField(_("provider message id"), max_length=255, blank=True)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Set on a reminder: how long before the appointment it is due. One per booking and lead.
    reminder_lead_minutes = models.PositiveIntegerField(_("reminder lead (minutes)"), null=True, blank=True)
    intent = models.UUIDField(_("intent key"), default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sent by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "reminder_lead_minutes"],
                condition=models.Q(reminder_lead_minutes__isnull=False),
                name="message_one_reminder_per_lead",
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient_masked}"
