from django.db import models

from partners.models.credential import Credential
from partners.models.partner import Partner


class UpstreamCall(models.Model):
    """One attempt of one partner call, written by the partner client whatever the outcome."""

    class Outcome(models.TextChoices):
        OK = "ok", "OK"
        VALIDATION = "validation", "Validation error"
        UNAUTHORIZED = "unauthorized", "Unauthorized"
        SIGNATURE_MISMATCH = "signature_mismatch", "Signature mismatch"
        NOT_FOUND = "not_found", "Not found"
        SLOT_UNAVAILABLE = "slot_unavailable", "Slot unavailable"
        SERVER_ERROR = "server_error", "Partner server error"
        TIMEOUT_BEFORE_SEND = "timeout_before_send", "Timeout before send"
        TIMEOUT_AFTER_SEND = "timeout_after_send", "Timeout after send"
        CONNECTION_ERROR = "connection_error", "Connection error"
        BAD_RESPONSE = "bad_response", "Bad response"

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="calls")
    credential = models.ForeignKey(Credential, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    booking = models.ForeignKey(
        "bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="upstream_calls"
    )
    operation = models.CharField(max_length=32, help_text="e.g. slots, book, enroll")
    method = models.CharField(max_length=8)
    url = models.CharField(max_length=500)
    attempt = models.PositiveSmallIntegerField(default=1)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    body_status = models.CharField(max_length=16, blank=True)
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    request_body = models.JSONField(null=True, blank=True, help_text="Redacted: patient identifiers masked.")
    response_body = models.TextField(blank=True, help_text="Redacted and size-capped.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["partner", "-created_at"], name="upstreamcall_partner_recent"),
            models.Index(fields=["booking", "created_at"], name="upstreamcall_booking"),
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
