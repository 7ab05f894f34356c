from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models.credential import Credential
from partners.models.partner import Partner


class UpstreamCall(models.Model):
    """One attempt of one outbound call, written by the client whatever the outcome: a partner's
    (``partner`` set) or a message provider's (``provider`` set, e.g. an SMS sent for a booking)."""

    class Outcome(models.TextChoices):
        OK = "ok", _("OK")
        VALIDATION = "validation", _("Validation error")
        UNAUTHORIZED = "unauthorized", _("Unauthorized")
        SIGNATURE_MISMATCH = "signature_mismatch", _("Signature mismatch")
        NOT_FOUND = "not_found", _("Not found")
        SLOT_UNAVAILABLE = "slot_unavailable", _("Slot unavailable")
        SERVER_ERROR = "server_error", _("Partner server error")
        TIMEOUT_BEFORE_SEND = "timeout_before_send", _("Timeout before send")
        TIMEOUT_AFTER_SEND = "timeout_after_send", _("Timeout after send")
        CONNECTION_ERROR = "connection_error", _("Connection error")
        BAD_RESPONSE = "bad_response", _("Bad response")

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), null=True, blank=True, on_delete=models.PROTECT, related_name="calls"
    )
    provider = models.CharField(
        _("message provider"), max_length=32, blank=True, help_text=_("Set instead of the partner, e.g. unifonic.")
    )
    credential = models.ForeignKey(
        Credential, verbose_name=_("credential"), null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    booking = models.ForeignKey(
        "bookings.Booking",
        verbose_name=_("booking"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="upstream_calls",
    )
    operation = models.CharField(_("operation"), max_length=32, help_text=_("e.g. slots, book, enroll"))
    method = models.CharField(_("method"), max_length=8)
    url = models.CharField(_("URL"), max_length=500)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    body_status = models.CharField(_("body status"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), null=True, blank=True)
    request_body = models.JSONField(
        _("request body"), null=True, blank=True, help_text=_("Redacted: patient identifiers masked.")
    )
    response_body = models.TextField(_("response body"), blank=True, help_text=_("Redacted and size-capped."))
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("partner call")
        verbose_name_plural = _("partner calls")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="upstreamcall_partner_recent"),
            models.Index(fields=["booking", "created_at"], name="upstreamcall_booking"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False, provider="")
                | models.Q(partner__isnull=True, provider__gt=""),
                name="upstreamcall_partner_or_provider",
            )
        ]

    def __str__(self):
        return f"{self.operation} #{self.attempt} → {self.outcome}"


Outcome = UpstreamCall.Outcome

# Whose side a failed call is on: the one classification partner health and alerts use.
# The partner failed: 5000, 503 and other 5xx, no answer in time, no connection, an answer
# that cannot be read. Only these count against the partner.
PARTNER_FAILURES = (
    Outcome.SERVER_ERROR,
    Outcome.TIMEOUT_BEFORE_SEND,
    Outcome.TIMEOUT_AFTER_SEND,
    Outcome.CONNECTION_ERROR,
    Outcome.BAD_RESPONSE,
)
# The partner answered, about the request: 1001/400 (fields), 1004/404 (unknown selection,
# no subscription), 1005 (slot taken). Staff change the request; the partner works.
REQUEST_ANSWERS = (Outcome.VALIDATION, Outcome.NOT_FOUND, Outcome.SLOT_UNAVAILABLE)
# The partner refused our credential: 1002/401, 1003 (signature). An admin acts.
CREDENTIAL_PROBLEMS = (Outcome.UNAUTHORIZED, Outcome.SIGNATURE_MISMATCH)
SIDES = {
    "ok": (Outcome.OK,),
    "partner_failure": PARTNER_FAILURES,
    "request_answer": REQUEST_ANSWERS,
    "credential_problem": CREDENTIAL_PROBLEMS,
}


def side_of(outcome: str) -> str:
    """Whose side a call's outcome is on: one of ``SIDES`` (metrics label it so)."""
    return next(side for side, outcomes in SIDES.items() if outcome in outcomes)
