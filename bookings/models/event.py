from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bookings.models.booking import Booking
from bookings.states import Status
from config.stored_text import stored_text


class BookingEvent(models.Model):
    """A status change: from, to, who, why and the partner attempt that caused it.

    The portal writes ``reason`` in English with ``%(name)s`` placeholders and their values in
    ``reason_params``; ``reason_text`` reads it in the reader's language (a note typed by staff
    is a value, kept as typed).
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events", verbose_name=_("booking"))
    from_status = models.CharField(_("from status"), max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=24, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("actor")
    )
    reason = models.TextField(_("reason"), blank=True)
    reason_params = models.JSONField(
        _("reason values"), default=dict, blank=True, help_text=_("The values the reason's placeholders stand for.")
    )
    upstream_call = models.ForeignKey(
        "partners.UpstreamCall",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("partner call"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["booking", "created_at"], name="bookingevent_booking")]

    def __str__(self):
        return f"{self.booking}: {self.from_status or '—'} → {self.to_status}"

    @property
    def reason_text(self) -> str:
        """The reason in the active language, its placeholders filled."""
        return stored_text(self.reason, self.reason_params)
