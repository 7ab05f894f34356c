"""What may be stored about a partner call: secrets removed, patient identifiers masked, size capped.

Two layers: keys that name a secret or a patient identifier are masked wherever they
appear in a JSON body, and the exact values the caller knows to be sensitive (the
credential's secrets, the booking's name, email and mobile) are scrubbed from any text,
so an echoed header or an error page quoting the patient stores nothing readable.
"""

import functools
import json
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings

REDACTED = "[redacted]"
SECRET_HEADERS = frozenset({"authorization", "cmt", "x-api-key", "publicid", "secret"})


@functools.lru_cache(maxsize=4096)  # a partner's answers repeat the same few keys
def _normal(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(key).lower())


SECRET_KEYS = frozenset(
    {"authorization", "cmt", "xapikey", "apikey", "token", "secret", "password", "appsid", "publicid"}
)
MOBILE_KEYS = frozenset(
    {
        "mobile",
        "phone",
        "phonenumber",
        "mobilenumber",
        "msisdn",
        "patientmobile",
        "guardianmobile",
        "recipient",
        "contact",
    }
)
EMAIL_KEYS = frozenset({"email", "emailaddress", "patientemail", "guardianemail"})
DOB_KEYS = frozenset({"dob", "dateofbirth", "birthdate", "birthday", "patientdob"})
WHOLE_VALUE_KEYS = frozenset({"nationalid", "iqama", "idnumber", "consultationreason", "reason", "notes"})
NAME_KEYS_ANYWHERE = frozenset({"patientname", "guardianname", "childname", "fullname"})
# "name" is a doctor's or a service's name in catalogue answers: a person's only in these.
PERSON_CONTAINERS = frozenset({"patient", "child", "guardian", "customer", "member", "user", "location"})
NAME_KEYS_IN_PERSON = frozenset({"name", "firstname", "lastname", "address"})


def mask_name(value: str) -> str:
    value = str(value).strip()
    return f"{value[0]}***" if value else ""


def mask_mobile(value: str) -> str:
    """``+966501234567`` → ``+9665******67``."""
    value = str(value).strip()
    if len(value) < 9:
        return "***"
    return value[:5] + "*" * (len(value) - 7) + value[-2:]


def mask_email(value: str) -> str:
    """``patient@example.org`` → ``p***@example.org``."""
    local, at, domain = str(value).strip().partition("@")
    if not (local and at and domain):
        return "***"
    return f"{local[0]}***@{domain}"


def mask_dob(value: str) -> str:
    return "****-**-**"


def _mask_value(value: Any, masker) -> Any:
    if value in (None, ""):
        return value
    if isinstance(value, dict | list):
        return "***"
    return masker(value)


def redact_json(value: Any, *, sensitive: Iterable[str] = (), _container: str = "") -> Any:
    """A copy of a JSON value with secrets removed and patient identifiers masked."""
    return _redact(value, _scrub_order(sensitive), _container)


def _redact(value: Any, ordered: tuple[str, ...], container: str) -> Any:
    if isinstance(value, dict):
        return {key: _redact_item(key, item, ordered, container) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact(item, ordered, container) for item in value]
    if isinstance(value, str):
        return _scrub_ordered(value, ordered)
    return value


def _redact_item(key: str, value: Any, ordered: tuple[str, ...], container: str) -> Any:
    name = _normal(key)
    if name in SECRET_KEYS:
        return REDACTED if value not in (None, "") else value
    if name in MOBILE_KEYS:
        return _mask_value(value, mask_mobile)
    if name in EMAIL_KEYS:
        return _mask_value(value, mask_email)
    if name in DOB_KEYS:
        return _mask_value(value, mask_dob)
    if name in WHOLE_VALUE_KEYS:
        return _mask_value(value, lambda _: "***")
    if name in NAME_KEYS_ANYWHERE or (container in PERSON_CONTAINERS and name in NAME_KEYS_IN_PERSON):
        return _mask_value(value, mask_name)
    return _redact(value, ordered, name)


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {key: REDACTED if key.lower() in SECRET_HEADERS else value for key, value in headers.items()}


def scrub(text: str, sensitive: Iterable[str]) -> str:
    """Replace every occurrence of a known sensitive value; values under 3 characters are ignored."""
    return _scrub_ordered(text, _scrub_order(sensitive))


def _scrub_order(sensitive: Iterable[str]) -> tuple[str, ...]:
    """The values to replace, longest first (a value inside a longer one goes with it): sorted
    once per body, not once per string in it."""
    return tuple(sorted({v for v in sensitive if v and len(v) >= 3}, key=len, reverse=True))


def _scrub_ordered(text: str, ordered: tuple[str, ...]) -> str:
    for value in ordered:
        if value in text:
            text = text.replace(value, REDACTED)
    return text


def cap(text: str, max_chars: int | None = None) -> str:
    max_chars = settings.PARTNER_STORED_BODY_MAX_CHARS if max_chars is None else max_chars
    if len(text) <= max_chars:
        return text
    marker = f"…[truncated {len(text) - max_chars} chars]"
    return text[: max(max_chars - len(marker), 0)] + marker


def stored_request_body(payload: Any, *, sensitive: Iterable[str] = ()) -> Any:
    """The request payload as stored on ``UpstreamCall.request_body`` (JSON)."""
    if payload is None:
        return None
    redacted = redact_json(payload, sensitive=sensitive)
    text = json.dumps(redacted, ensure_ascii=False, default=str)
    if len(text) <= settings.PARTNER_STORED_BODY_MAX_CHARS:
        return json.loads(text)
    return {"_truncated": cap(text)}


def stored_response_body(text: str, *, sensitive: Iterable[str] = ()) -> str:
    """The response body as stored on ``UpstreamCall.response_body``: verbatim when not JSON."""
    if not text:
        return ""
    try:
        redacted = json.dumps(redact_json(json.loads(text), sensitive=sensitive), ensure_ascii=False)
    except (ValueError, RecursionError):
        return cap(scrub(text, sensitive))
    return cap(scrub(redacted, sensitive))


def _is_identifier(key: str, container: str) -> bool:
    name = _normal(key)
    return (
        name in MOBILE_KEYS | EMAIL_KEYS | DOB_KEYS | WHOLE_VALUE_KEYS | NAME_KEYS_ANYWHERE
        or (container in PERSON_CONTAINERS and name in NAME_KEYS_IN_PERSON)
        or (container == "location" and name in {"lat", "lng", "latitude", "longitude"})
    )


def erase_json(value: Any, *, sensitive: Iterable[str] = (), _container: str = "") -> Any:
    """A copy of a JSON value with every patient identifier gone (not masked), for retention and
    erasure: what the masks of ``redact_json`` still show (a first letter, the last digits) goes
    too. Ids, amounts, currencies, dates and statuses are kept as they are."""
    sensitive = tuple(sensitive)
    if isinstance(value, dict):
        return {
            key: (
                (REDACTED if item not in (None, "") else item)
                if _is_identifier(key, _container)
                else erase_json(item, sensitive=sensitive, _container=_normal(key))
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [erase_json(item, sensitive=sensitive, _container=_container) for item in value]
    if isinstance(value, str):
        return scrub(value, sensitive)
    return value


def erase_text(text: str, *, sensitive: Iterable[str] = ()) -> str:
    """``erase_json`` for a stored body: JSON is parsed and erased, other text scrubbed of ``sensitive``."""
    if not text:
        return text
    try:
        parsed = json.loads(text)
    except (ValueError, RecursionError):
        return scrub(text, sensitive)
    return json.dumps(erase_json(parsed, sensitive=sensitive), ensure_ascii=False)
