"""A partner's HTTP answer → the success data, or the typed error it stands for.

Sanar (CONTRACT.md §1): the body ``status`` decides first (integer or string), then the
HTTP status. Sandicare (§4): the HTTP status decides; errors carry
``{"error": code, "message": text}``. Anything unreadable is a ``BadResponse``.
"""

import json
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from partners import errors

SANAR_SUCCESS = "1000"
SANAR_ERRORS: dict[str, type[errors.PartnerError]] = {
    "1001": errors.ValidationFailed,
    "1002": errors.Unauthorized,
    "1003": errors.SignatureMismatch,
    "1004": errors.NotFound,
    "1005": errors.SlotUnavailable,
    "5000": errors.ServerError,
}
SANDICARE_ERRORS: dict[int, type[errors.PartnerError]] = {
    400: errors.ValidationFailed,
    401: errors.Unauthorized,
    404: errors.NotFound,
    503: errors.ServerError,
}
MAX_URL_LENGTH = 1000  # Booking.payment_url / enrollment_url
_https_validator = URLValidator(schemes=["https"])


def _load_json(body: str | bytes, http_status: int) -> Any:
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            raise errors.BadResponse(
                f"The partner's answer is not UTF-8 (HTTP {http_status}).", http_status=http_status
            ) from None
    if body.lstrip()[:1] == "<":
        raise errors.BadResponse(
            f"The partner sent an HTML page instead of JSON (HTTP {http_status}).", http_status=http_status
        )
    try:
        data = json.loads(body)
        # "\u0000" decodes to U+0000, which PostgreSQL cannot store (text or jsonb).
        return _without_nul(data) if "\\u0000" in body else data
    except (ValueError, RecursionError):
        raise errors.BadResponse(
            f"The partner's answer is not JSON (HTTP {http_status}).", http_status=http_status
        ) from None


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    return value


def _sanar_status(value: Any) -> str | None:
    """``1000`` and ``"1000"`` alike; anything else (bool, float, junk) is no status."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        # Not int(): a digit string past Python's 4300-digit limit would raise ValueError.
        return value.strip().lstrip("0") or "0"
    return None


def _message(body: dict) -> str:
    message = body.get("message")
    return message.strip() if isinstance(message, str) else ""


def parse_sanar(http_status: int, body: str | bytes) -> dict:
    """The ``data.info`` of a Sanar success envelope, or the typed error."""
    try:
        envelope = _load_json(body, http_status)
    except errors.BadResponse:
        if http_status == 503:
            raise errors.ServerError(
                f"The partner is unavailable (HTTP {http_status}).", http_status=http_status
            ) from None
        raise
    if not isinstance(envelope, dict):
        raise errors.BadResponse(
            f"The partner's answer is not a JSON object (HTTP {http_status}).", http_status=http_status
        )
    status = _sanar_status(envelope.get("status"))
    message = _message(envelope)
    raw_status = envelope.get("status")
    body_status = "" if raw_status is None else str(raw_status)
    if status in SANAR_ERRORS:
        raise SANAR_ERRORS[status](message, http_status=http_status, body_status=body_status)
    if status == SANAR_SUCCESS:
        if not 200 <= http_status < 300:
            raise errors.BadResponse(
                f"The partner answered status 1000 with HTTP {http_status}.",
                http_status=http_status,
                body_status=body_status,
            )
        data = envelope.get("data")
        info = data.get("info") if isinstance(data, dict) else None
        if not isinstance(info, dict):
            raise errors.BadResponse(
                "The partner answered 1000 without data.info.", http_status=http_status, body_status=body_status
            )
        return info
    if status is None and http_status == 503:
        raise errors.ServerError(message, http_status=http_status, body_status=body_status)
    what = "no status" if status is None else f"unknown status {body_status}"
    raise errors.BadResponse(
        f"The partner answered with {what} (HTTP {http_status}).", http_status=http_status, body_status=body_status
    )


def parse_sandicare(http_status: int, body: str | bytes) -> dict:
    """The JSON object of a Sandicare 200, or the typed error."""
    error_class = SANDICARE_ERRORS.get(http_status)
    if http_status != 200 and error_class is None:
        raise errors.BadResponse(f"The partner answered HTTP {http_status}.", http_status=http_status)
    try:
        answer = _load_json(body, http_status)
    except errors.BadResponse:
        if error_class is None:
            raise
        answer = {}
    if not isinstance(answer, dict):
        if error_class is None:
            raise errors.BadResponse(
                f"The partner's answer is not a JSON object (HTTP {http_status}).", http_status=http_status
            )
        answer = {}
    if error_class is not None:
        code = answer.get("error")
        body_status = code if isinstance(code, str) else ""
        raise error_class(_message(answer), http_status=http_status, body_status=body_status)
    return answer


def require_https_url(value: Any) -> str:
    """An absolute ``https://`` URL with a host, fit to store and show; else BadResponse."""
    if not isinstance(value, str) or not value:
        raise errors.InvalidValue("The partner sent no link.")
    if len(value) > MAX_URL_LENGTH or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise errors.InvalidValue("The partner's link is not a valid URL.")
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
        _https_validator(value)
    except (ValueError, ValidationError):
        raise errors.InvalidValue("The partner's link is not an absolute https:// URL.") from None
    if parts.scheme.lower() != "https" or not host:
        raise errors.InvalidValue("The partner's link is not an absolute https:// URL.")
    return value
