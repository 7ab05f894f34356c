"""Unifonic, the SMS and WhatsApp provider: its send calls and the receipts it posts back.

What Unifonic documents ([doc]) and what we had to assume ([assumed]); docs/messaging.md keeps
the same list.

SMS, ``POST {UNIFONIC_SMS_URL}/rest/SMS/messages`` [doc]: form fields ``AppSid``, ``SenderID``,
``Recipient`` (international digits, no ``+`` or ``00``), ``Body``, ``CorrelationID``,
``responseType=JSON``. Answer [doc]: ``{"success": true, "message": "", "errorCode": "ER-00",
"data": {"MessageID": …, "Status": "Sent", …}}``; a refusal is ``success`` false with an
``errorCode`` other than ER-00 [doc], which codes mean a wrong AppSid [assumed: ER-01].
Delivery receipt [doc]: Unifonic POSTs ``MessageID``, ``DLR`` ("Delivered" or "Undeliverable"),
``Recipient``, ``TimeCreated``, ``SCTS``, ``DLRTimestamp`` to the URL set in its console; the
encoding is not documented [assumed: form fields or a JSON object, both read].

WhatsApp, ``POST {UNIFONIC_WHATSAPP_URL}/v1/messages`` with headers ``PublicId`` and ``Secret``
[doc], JSON ``{"recipient": {"contact": "+9665…", "channel": "whatsapp"}, "content": {"type":
"text", "text": …}}`` [doc, a session message]. A template message (needed outside a session)
[assumed: Meta's template object relayed, ``{"type": "template", "name", "language": {"code"},
"components": [{"type": "body", "parameters": [{"type": "text", "text": …}]}]}``].
Answer [assumed]: 2xx with ``{"messageId": …}``.
Receipts [doc]: JSON ``{"messageId", "eventType": "message.sent" | "message.delivered" |
"message.read" | "message.rejected" | …, "recipient", "timestamp"}``.

Unifonic signs neither receipt [doc: none mentioned]: the webhook URL carries our own secret.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.utils.translation import gettext_noop

from partners import providers
from partners.errors import BadResponse, PartnerError, ServerError, Unauthorized, ValidationFailed
from partners.models import UpstreamCall
from partners.providers import Receipt

PROVIDER = "unifonic"
SMS_PATH = "/rest/SMS/messages"
WHATSAPP_PATH = "/v1/messages"
SMS_OK = "ER-00"
SMS_BAD_APP_SID = "ER-01"
# Receipt words that settle a message; the others (sent, queued, read before delivered…) do not.
DELIVERED = {"delivered", "message.delivered", "message.read"}
UNDELIVERED = {"undeliverable", "message.rejected", "message.failed"}


@dataclass(frozen=True)
class Template:
    """An approved WhatsApp template: its name, language code and body values, in order."""

    name: str
    language: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Sent:
    provider_id: str
    call: UpstreamCall


def sms_setup_error() -> str | None:
    if not (settings.UNIFONIC_APP_SID and settings.UNIFONIC_SENDER_ID):
        return gettext_noop("UNIFONIC_APP_SID and UNIFONIC_SENDER_ID are not set.")
    return None


def whatsapp_setup_error() -> str | None:
    if not (settings.UNIFONIC_PUBLIC_ID and settings.UNIFONIC_SECRET):
        return gettext_noop("UNIFONIC_PUBLIC_ID and UNIFONIC_SECRET are not set.")
    return None


def send_sms(*, to: str, text: str, reference: str, attempt: int = 1, personal: Sequence[str] = ()) -> Sent:
    """Send ``text`` to ``to`` (E.164); the Unifonic MessageID, or a typed PartnerError.
    ``personal``: more values no row may keep (the patient's name, the link)."""
    app_sid = settings.UNIFONIC_APP_SID
    form = {
        "AppSid": app_sid,
        "SenderID": settings.UNIFONIC_SENDER_ID,
        "Recipient": to.lstrip("+"),
        "Body": text,
        "CorrelationID": reference,
        "responseType": "JSON",
    }
    provider_id, row = providers.call(
        provider=PROVIDER,
        service="sms",
        method="POST",
        url=settings.UNIFONIC_SMS_URL.rstrip("/") + SMS_PATH,
        body=urlencode(form).encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        stored_payload={**form, "Body": _length(text)},
        secrets=[app_sid],
        personal=_personal(to, text, personal),
        read=_read_sms_answer,
        attempt=attempt,
    )
    return Sent(provider_id=provider_id, call=row)


def send_whatsapp(
    *,
    to: str,
    text: str,
    reference: str,
    attempt: int = 1,
    personal: Sequence[str] = (),
    template: Template | None = None,
) -> Sent:
    """Send ``text`` to ``to`` (E.164) on WhatsApp, or ``template`` when given (``text`` is then
    its values as one line, for the redaction); the message id, or a typed PartnerError."""
    public_id, secret = settings.UNIFONIC_PUBLIC_ID, settings.UNIFONIC_SECRET
    content: dict[str, Any] = {"type": "text", "text": text}
    if template is not None:
        parameters = [{"type": "text", "text": value} for value in template.values]
        content = {
            "type": "template",
            "name": template.name,
            "language": {"code": template.language},
            "components": [{"type": "body", "parameters": parameters}],
        }
        personal = [*personal, *template.values]
    payload = {"recipient": {"contact": to, "channel": "whatsapp"}, "content": content}
    stored_content = (
        {"type": "text", "text": _length(text)}
        if template is None
        else {"type": "template", "name": template.name, "language": {"code": template.language}}
    )
    provider_id, row = providers.call(
        provider=PROVIDER,
        service="whatsapp",
        method="POST",
        url=settings.UNIFONIC_WHATSAPP_URL.rstrip("/") + WHATSAPP_PATH,
        body=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "PublicId": public_id,
            "Secret": secret,
        },
        stored_payload={**payload, "content": stored_content, "reference": reference},
        secrets=[public_id, secret],
        personal=_personal(to, text, personal),
        read=_read_whatsapp_answer,
        attempt=attempt,
    )
    return Sent(provider_id=provider_id, call=row)


def _personal(to: str, text: str, more: Sequence[str]) -> list[str]:
    # The text as a provider may echo it: as sent, form-encoded, or inside a JSON string.
    return [to, to.lstrip("+"), text, quote_plus(text), json.dumps(text, ensure_ascii=False)[1:-1], *more]


def _length(text: str) -> str:
    # The text holds the patient's name and link: the row keeps its size only.
    return f"[{len(text)} characters]"


def _json(content: bytes, status: int) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        raise BadResponse("The provider's answer is not JSON.", http_status=status) from None


def _http_error(status: int) -> PartnerError | None:
    if status >= 500:
        return ServerError(http_status=status)
    if status in (401, 403):
        return Unauthorized("The provider rejected the keys.", http_status=status)
    return None


def _read_sms_answer(status: int, content: bytes) -> str:
    if error := _http_error(status):
        raise error
    answer = _json(content, status)
    code = str(answer.get("errorCode") or "")
    if str(answer.get("success")).lower() != "true":
        message = str(answer.get("message") or "") or "The provider refused the message."
        if code == SMS_BAD_APP_SID:
            raise Unauthorized(message, http_status=status, body_status=code)
        raise ValidationFailed(message, http_status=status, body_status=code)
    message_id = answer["data"]["MessageID"]
    if message_id in (None, ""):
        raise BadResponse("The provider's answer has no MessageID.", http_status=status)
    return str(message_id)


def _read_whatsapp_answer(status: int, content: bytes) -> str:
    if error := _http_error(status):
        raise error
    answer = _json(content, status)
    if status >= 400:
        message = str(answer.get("message") or "") if isinstance(answer, dict) else ""
        raise ValidationFailed(message or "The provider refused the message.", http_status=status)
    message_id = answer["messageId"]
    if message_id in (None, ""):
        raise BadResponse("The provider's answer has no messageId.", http_status=status)
    return str(message_id)


def read_sms_receipt(data: Mapping[str, Any]) -> Receipt | None:
    """A DLR webhook's fields → Receipt, or None when they are not one."""
    provider_id, word = str(data.get("MessageID") or "").strip(), str(data.get("DLR") or "").strip()
    if not provider_id or not word:
        return None
    return Receipt(provider_id=provider_id, delivered=_settled(word), word=word[:32])


def read_whatsapp_receipt(data: Mapping[str, Any]) -> Receipt | None:
    """A conversations webhook's JSON → Receipt, or None when it is not one about a message."""
    provider_id, word = str(data.get("messageId") or "").strip(), str(data.get("eventType") or "").strip()
    if not provider_id or not word.startswith("message."):
        return None
    return Receipt(provider_id=provider_id, delivered=_settled(word), word=word[:32])


def _settled(word: str) -> bool | None:
    word = word.lower()
    if word in DELIVERED:
        return True
    if word in UNDELIVERED:
        return False
    return None
