"""What the adapters share: the call through the client, the Cmt retry rule, tolerant readers."""

import datetime
import math
from dataclasses import dataclass, field
from typing import Any

from partners import credentials
from partners.client import PartnerClient
from partners.errors import BadResponse, InvalidValue, MissingField, SignatureMismatch
from partners.models import Credential
from partners.money import Money
from partners.responses import require_https_url


@dataclass(frozen=True)
class Slot:
    slot_id: str
    time: str
    available: bool


@dataclass(frozen=True)
class BookingConfirmation:
    booking_id: str
    payment_url: str
    amount: Money | None
    raw: dict = field(default_factory=dict, repr=False, compare=False)


def call(credential, **request) -> Any:
    return PartnerClient(credential).request(**request)


def signed_call(credential, *, attempt: int = 1, **request) -> Any:
    """A signed Sanar call under the 1003 rule (CONTRACT.md §1).

    On a signature mismatch the request is signed again, from the credential as stored
    now (an admin may have just corrected the secret), and sent once more at once as the
    next attempt. A second mismatch is a credential problem.
    """
    try:
        return call(credential, signed=True, attempt=attempt, **request)
    except SignatureMismatch:
        pass
    try:
        return call(_reloaded(credential), signed=True, attempt=attempt + 1, **request)
    except SignatureMismatch as error:
        credentials.mark_failing(credential, f"{credential.partner}: signature (Cmt) rejected twice.")
        raise error from None


def _reloaded(credential):
    try:
        return Credential.objects.select_related("partner").get(pk=credential.pk)
    except Credential.DoesNotExist:
        return credential


# --- tolerant readers of partner values ---


def text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, str | int | float):
        return str(value).strip()
    return ""


def required_text(value: Any, field_name: str) -> str:
    if not (result := text(value)):
        raise MissingField(field_name)
    return result


def required_https_url(container: dict, field_name: str) -> str:
    """The link under ``field_name``: absent is a missing field, present but not https an invalid value."""
    value = container.get(field_name)
    if value is None or value == "":
        raise MissingField(field_name)
    return require_https_url(value)


def optional_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an integer past float's range
        return None
    return number if math.isfinite(number) else None


def flag(value: Any, *, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str) and value.strip().lower() in {"true", "false", "1", "0", "yes", "no"}:
        return value.strip().lower() in {"true", "1", "yes"}
    return default


def text_list(value: Any) -> list[str]:
    """``["a", "b"]`` or ``"a, b"`` → ``["a", "b"]``."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    return [item for item in (text(v) for v in value) if item]


def objects(container: dict, key: str) -> list[dict]:
    """The list of objects under ``key``; one object alone counts as a list of one."""
    value = container.get(key)
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list):
        raise BadResponse(f"The partner's answer has no '{key}' list.")
    return [item for item in value if isinstance(item, dict)]


def optional_https(value: Any) -> str | None:
    try:
        return require_https_url(value)
    except InvalidValue:
        return None


def optional_money(parse, *args) -> Money | None:
    """A catalogue price that cannot be read is shown as unknown instead of failing the page."""
    try:
        return parse(*args)
    except InvalidValue:
        return None


def iso_date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def parse_date(value: Any, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text(value))
    except ValueError:
        return default


# --- shapes both Sanar products share ---


def sanar_slots(container: dict) -> list[Slot]:
    """[assumed] Both Sanar products list slots as ``{"slot_id", "time", "available"}``.

    A slot without an id is skipped; slots none of which has one mean the shape changed.
    """
    items = objects(container, "slots")
    slots = [
        Slot(
            slot_id=text(item.get("slot_id")),
            time=text(item.get("time")),
            available=flag(item.get("available"), default=True),
        )
        for item in items
        if text(item.get("slot_id"))
    ]
    if items and not slots:
        raise MissingField("slot_id")
    return slots


def sanar_book(credential, *, booking, attempt: int, payload: dict, parse) -> BookingConfirmation:
    """``POST /book``, signed: [doc] both Sanar products answer ``booking_id`` + ``payment_url``."""
    return signed_call(
        credential,
        operation="book",
        method="POST",
        path="/book",
        payload=payload,
        booking=booking,
        attempt=attempt,
        parse=parse,
    )
