"""Typed outcomes of a partner call (CONTRACT.md §1 status table, §4 errors, §5 retry rules).

Each error names its ``UpstreamCall.Outcome`` and says whether sending the same request
again is safe: ``retry_safe`` is True only when the partner certainly did not act.
``partner_message`` is the partner's own text (or ours when the partner said nothing
usable); it never holds a secret, so it can be shown to staff. Whose side a failure is on
(the partner's, the request's, the credential's) is decided by its outcome, in
``partners.models.upstream_call``.
"""

from django.utils.translation import gettext_noop

# The default messages are the portal's words, stored in English where a booking keeps them and read
# in each reader's language (``config.stored_text``); a partner's own words are kept as sent.


class PartnerError(Exception):
    outcome: str = "bad_response"
    retry_safe: bool = False
    default_message: str = gettext_noop("The partner call failed.")
    detail: str = ""  # technical cause for the call row (exception type), never shown to staff

    def __init__(self, message: str = "", *, call=None, http_status=None, body_status=""):
        self.partner_message = message or self.default_message
        super().__init__(self.partner_message)
        self.call = call
        self.http_status = http_status
        self.body_status = body_status

    def __repr__(self):
        return f"{type(self).__name__}(outcome={self.outcome!r}, http_status={self.http_status!r})"


class ValidationFailed(PartnerError):
    outcome = "validation"
    default_message = gettext_noop("The partner rejected some fields.")


class Unauthorized(PartnerError):
    outcome = "unauthorized"
    default_message = gettext_noop("The partner rejected the credentials.")


class SignatureMismatch(PartnerError):
    outcome = "signature_mismatch"
    default_message = gettext_noop("The partner could not verify the request signature (Cmt).")


class NotFound(PartnerError):
    outcome = "not_found"
    default_message = gettext_noop("The partner could not find what was asked for.")


class SlotUnavailable(PartnerError):
    outcome = "slot_unavailable"
    default_message = gettext_noop("This slot is no longer available.")


class ServerError(PartnerError):
    outcome = "server_error"
    retry_safe = True
    default_message = gettext_noop("The partner's service failed; try again later.")


class TimeoutBeforeSend(PartnerError):
    outcome = "timeout_before_send"
    retry_safe = True
    default_message = gettext_noop("The partner did not accept the connection in time; nothing was sent.")


class TimeoutAfterSend(PartnerError):
    """The request was sent and no answer came: the partner may have acted."""

    outcome = "timeout_after_send"
    retry_safe = False
    default_message = gettext_noop("The partner did not answer in time; the request may have been processed.")


class ConnectionFailed(PartnerError):
    outcome = "connection_error"
    default_message = gettext_noop("The connection to the partner failed.")

    def __init__(self, message: str = "", *, request_sent: bool = True, **kwargs):
        super().__init__(message, **kwargs)
        self.request_sent = request_sent
        # Refused / DNS / certificate rejected: nothing reached the partner. A reset or
        # disconnect after sending leaves the outcome unknown.
        self.retry_safe = not request_sent


class BadResponse(PartnerError):
    outcome = "bad_response"
    retry_safe = False
    default_message = gettext_noop("The partner sent an answer the portal cannot read.")


class InvalidValue(BadResponse, ValueError):
    """A single value from the partner (an amount, a URL) is malformed."""


class MissingField(BadResponse):
    """The partner's answer lacks a field the flow cannot go on without; ``field`` names it as the partner would."""

    WHAT = {
        "booking_id": gettext_noop("the partner's booking reference"),
        "payment_url": gettext_noop("the link where the patient pays"),
        "slot_id": gettext_noop("the id of each slot"),
    }

    def __init__(self, field: str, **kwargs):
        self.field = field
        what = self.WHAT.get(field, field)
        super().__init__(
            f"The partner's answer has no {field} ({what}): the portal cannot go on without it. "
            "Run the contract check and send its report to the partner.",
            **kwargs,
        )


class NoActiveCredential(PartnerError):
    """Nothing was sent: there is no active credential to send with.

    ``retry_safe`` is True because the partner certainly did not act; a retry succeeds
    only once an admin has added or activated a credential.
    """

    outcome = "unauthorized"
    retry_safe = True
    default_message = gettext_noop("No active partner credential: an admin must add one.")
