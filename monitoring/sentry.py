"""Errors to Sentry when ``SENTRY_DSN`` is set, redacted as the logs and the call log are.

Nothing a page or a partner call holds may leave: no request bodies, cookies, users, local
variables or source lines are sent at all; every event and breadcrumb then goes through partners/redaction.py
(secret keys removed, patient fields masked by key) and a last pass removes the portal's own
keys and masks e-mail addresses and phone numbers in free text, such as an exception's message.
A partner secret in free text is not recognised here: the partner client scrubs its own errors.
"""

import re
from typing import TYPE_CHECKING, Any

from partners import redaction

if TYPE_CHECKING:
    from sentry_sdk.types import Breadcrumb, BreadcrumbHint, Event, Hint

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# International (+966501234567) or national (0501234567) numbers; not dates, ids or timestamps.
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{8,14}|0\d{8,10})\b")


# Beyond the partner bodies' exact keys: any key naming a secret (auth_token, cmt_secret, csrftoken).
_SECRET_KEY_PARTS = ("token", "secret", "password", "apikey", "authorization", "cookie", "session", "csrf", "cmt")


def _drop_secret_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: redaction.REDACTED
            if any(part in re.sub(r"[^a-z0-9]", "", str(key).lower()) for part in _SECRET_KEY_PARTS)
            else _drop_secret_keys(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_drop_secret_keys(item) for item in value]
    return value


def _own_secrets() -> list[str]:
    from django.conf import settings

    return [settings.SECRET_KEY, *settings.FIELD_ENCRYPTION_KEYS]


def _scrub_text(value: Any, secrets: list[str] | None = None) -> Any:
    secrets = _own_secrets() if secrets is None else secrets
    if isinstance(value, dict):
        return {key: _scrub_text(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub_text(item, secrets) for item in value]
    if isinstance(value, str):
        value = redaction.scrub(value, secrets)
        value = _EMAIL.sub(lambda match: redaction.mask_email(match.group(0)), value)
        return _PHONE.sub(lambda match: redaction.mask_mobile(match.group(0)), value)
    return value


def redact_event(event: "Event", hint: "Hint | None" = None) -> "Event":
    request = event.get("request")
    if isinstance(request, dict):
        for field in ("data", "cookies", "env"):
            request.pop(field, None)
        headers = request.get("headers")
        headers = headers if isinstance(headers, dict) else {}
        request["headers"] = redaction.redact_headers(
            {key: value for key, value in headers.items() if key.lower() != "cookie"}
        )
    event.pop("user", None)
    return _scrub_text(redaction.redact_json(_drop_secret_keys(event)))


def redact_breadcrumb(breadcrumb: "Breadcrumb", hint: "BreadcrumbHint | None" = None) -> "Breadcrumb":
    return _scrub_text(redaction.redact_json(_drop_secret_keys(breadcrumb)))


def init(dsn: str, *, environment: str, release: str | None = None, transport=None) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        include_local_variables=False,
        include_source_context=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=redact_event,
        before_breadcrumb=redact_breadcrumb,
        transport=transport,
    )
