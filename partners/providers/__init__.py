"""Message providers (SMS, WhatsApp): their calls go through the partners' one HTTP door.

``call`` is to a provider what ``PartnerClient.request`` is to a partner: the host rule, no
call inside a transaction, one ``UpstreamCall`` row per attempt (``provider`` set instead of
``partner``), redacted bodies, the log line and the metrics. Each provider's module knows its
paths, payloads and answers and raises the typed ``PartnerError``s that say whether a retry is safe.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from partners import client, hosts, redaction
from partners.errors import BadResponse, PartnerError, Unauthorized
from partners.models import UpstreamCall


@dataclass(frozen=True)
class Receipt:
    """A provider's word about a message it took: delivered (True), not delivered (False), or
    nothing final yet (None); ``word`` is the provider's own status word."""

    provider_id: str
    delivered: bool | None
    word: str


def call(
    *,
    provider: str,
    service: str,
    method: str,
    url: str,
    body: bytes,
    headers: dict[str, str],
    stored_payload: Any,
    secrets: list[str],
    personal: list[str],
    read: Callable[[int, bytes], Any],
    attempt: int = 1,
) -> tuple[Any, UpstreamCall]:
    """Send one attempt; ``(read(status, content), its row)``, or a typed PartnerError whose
    ``call`` is the row. ``service`` is the provider's API (``sms``, ``whatsapp``): its documented
    host is in ``partners.hosts``. ``stored_payload`` is what the row keeps of the request (redacted again
    here); ``secrets`` and ``personal`` are the exact values no row or log line may hold."""
    client.refuse_inside_transaction()
    operation = f"{service}.send"
    if reason := hosts.base_url_error(
        url, partner_code=f"{provider}_{service}", environment=settings.PARTNER_ENVIRONMENT
    ):
        raise Unauthorized(f"Not sent: {reason}")
    secrets = [value for value in secrets if value]
    sensitive = secrets + [value for value in personal if value]
    row = UpstreamCall(
        provider=provider,
        operation=operation,
        method=method,
        url=client.storable_url(url),
        attempt=attempt,
        request_body=redaction.stored_request_body(stored_payload, sensitive=sensitive),
    )
    started = time.monotonic()
    response = result = error = None
    try:
        response = client.transmit(method, url, body, {"User-Agent": settings.PARTNER_USER_AGENT, **headers})
        result = read(response.status_code, response.content)
    except PartnerError as exc:
        error = exc
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        error = BadResponse(f"The provider's answer has an unexpected shape ({type(exc).__name__}).")
    latency_ms = int((time.monotonic() - started) * 1000)
    client.record_attempt(
        row,
        response,
        error,
        caller=provider,
        ok_body_status="",
        secrets=secrets,
        sensitive=sensitive,
        latency_ms=latency_ms,
    )
    if error is not None:
        # Shown to staff as the attempt's error: a provider echoing the number keeps it masked.
        error.partner_message = redaction.scrub(error.partner_message, sensitive)
        error.args = (error.partner_message,)
        raise error
    return result, row
