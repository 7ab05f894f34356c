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
    provider = models.CharField(
        _("provider"), max_length=32, blank=True, help_text=_("Who took the message: email, unifonic…")
    )
    provider_id = models.CharField(_("provider message id"), max_length=255, blank=True, db_index=True)
    receipt = models.CharField(
        _("delivery receipt"), max_length=32, blank=True, help_text=_("The provider's last receipt word, as sent.")
    )
    receipt_at = models.DateTimeField(_("receipt received at"), null=True, blank=True)
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

    @property
    def is_reminder(self) -> bool:
        return self.template == self.Template.REMINDER

    # Read from the attempt rows (prefetch ``attempt_log`` when listing many messages).
    @property
    def attempts(self) -> int:
        return len(self.attempt_log.all())

    @property
    def error(self) -> str:
        """Why the message is not (yet) sent or delivered: the receipt's word, else the last attempt's error."""
        if self.status == self.Status.FAILED and self.receipt:
            return self.receipt
        last = max(self.attempt_log.all(), key=lambda attempt: attempt.number, default=None)
        return last.error if last and self.status in (self.Status.QUEUED, self.Status.FAILED) else ""


class MessageAttempt(models.Model):
    """One try at sending a message, written before the provider is called and completed after:
    a row left ``sending`` is an attempt whose worker died mid-call."""

    class Outcome(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Failed, tried again later")
        FAILED = "failed", _("Failed")
        NOT_SENT = "not_sent", _("Not sent")

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("message")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.SENDING)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    call = models.ForeignKey(
        "partners.UpstreamCall",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("provider call"),
        help_text=_("The logged HTTP call, for SMS and WhatsApp."),
    )

    class Meta:
        verbose_name = _("message attempt")
        verbose_name_plural = _("message attempts")
        ordering = ["message", "number"]
        constraints = [models.UniqueConstraint(fields=["message", "number"], name="message_attempt_number")]

    def __str__(self):
        return f"#{self.number} {self.get_outcome_display()}"
