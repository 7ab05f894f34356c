"""Unifonic's SMS and WhatsApp send calls (the shapes of ``partners/providers/unifonic.py``), an
outbox of what was received, and the delivery receipts Unifonic would post back.

``POST /rest/SMS/messages``  form (or JSON) AppSid, SenderID, Recipient, Body → ``{"success":
true, "errorCode": "ER-00", "data": {"MessageID": …}}``; a wrong AppSid answers ER-01, a missing
or malformed field ER-02 (both HTTP 200, as the real API answers a refusal).
``POST /v1/messages``  headers PublicId and Secret, JSON recipient + content → ``{"messageId": …}``;
wrong keys 401, a bad body 400.

Each accepted message lands in the outbox (``GET /_sim/outbox``, the page ``/_sim/outbox.html``).
When a receipt URL is set for the channel (``run_partner_simulator --sms-receipt-url``, or
``POST /_sim/receipt-urls``), a "delivered" receipt is posted to it after ``delay_s`` seconds;
``POST /_sim/receipts`` posts the receipt a test or a person chooses.
"""

import datetime
import json
import threading
import urllib.error
import urllib.request
import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit

from partner_simulator import demo_keys
from partner_simulator.protocol import Reply, SimRequest

OPERATION_SMS = "unifonic.sms"
OPERATION_WHATSAPP = "unifonic.whatsapp"
SMS_PATH = "/rest/SMS/messages"
WHATSAPP_PATH = "/v1/messages"
DELIVERED = {"sms": "Delivered", "whatsapp": "message.delivered"}
RECEIPT_TRIES = 3


def _sms_refusal(code: str, message: str) -> Reply:
    return Reply(200, {"success": False, "message": message, "errorCode": code, "data": None})


def send_sms(request: SimRequest, state) -> Reply:
    if request.content_type_is_json:
        fields = request.json_body if isinstance(request.json_body, dict) else {}
    else:
        fields = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    fields = {key: str(value) for key, value in fields.items()}
    if fields.get("AppSid") != demo_keys.UNIFONIC_APP_SID:
        return _sms_refusal("ER-01", "Invalid AppSid")
    recipient, body = fields.get("Recipient", ""), fields.get("Body", "")
    if not (recipient.isascii() and recipient.isdigit() and 8 <= len(recipient) <= 15):
        return _sms_refusal("ER-02", "Recipient must be international digits without + or 00")
    if not body.strip():
        return _sms_refusal("ER-02", "Missing parameter: Body")
    entry = state.outbox_add(
        channel="sms",
        message_id=str(state.next_number()),
        to="+" + recipient,
        sender=fields.get("SenderID", ""),
        text=body,
        reference=fields.get("CorrelationID", ""),
    )
    deliver_later(state, entry)
    data = {
        "MessageID": int(entry["id"]),
        "CorrelationID": entry["reference"],
        "Status": "Sent",
        "NumberOfUnits": 1,
        "Cost": 0.05,
        "Balance": 100,
        "Recipient": int(recipient),
        "TimeCreated": entry["received_at"],
        "CurrencyCode": "SAR",
    }
    return Reply(200, {"success": True, "message": "", "errorCode": "ER-00", "data": data}, created=True)


def send_whatsapp(request: SimRequest, state) -> Reply:
    if (request.header("publicid"), request.header("secret")) != (
        demo_keys.UNIFONIC_PUBLIC_ID,
        demo_keys.UNIFONIC_SECRET,
    ):
        return Reply(401, {"message": "Unauthorized: check PublicId and Secret"})
    body = request.json_body if isinstance(request.json_body, dict) else {}
    recipient = body.get("recipient") if isinstance(body.get("recipient"), dict) else {}
    content = body.get("content") if isinstance(body.get("content"), dict) else {}
    contact = str(recipient.get("contact") or "")
    if recipient.get("channel") != "whatsapp" or not (contact.startswith("+") and contact[1:].isdigit()):
        return Reply(400, {"message": "recipient.contact must be E.164 and recipient.channel whatsapp"})
    text = _template_text(content) if content.get("type") == "template" else content.get("text")
    if content.get("type") not in ("text", "template") or not isinstance(text, str) or not text.strip():
        return Reply(
            400, {"message": "content must be {type: text, text} or {type: template, name, language, components}"}
        )
    entry = state.outbox_add(channel="whatsapp", message_id=str(uuid.uuid4()), to=contact, sender="", text=text)
    deliver_later(state, entry)
    return Reply(202, {"messageId": entry["id"], "status": "queued"}, created=True)


def _template_text(content: dict) -> str | None:
    """A template message as the phone shows it here: its name, language and body values."""
    name, language = content.get("name"), content.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    components = content.get("components")
    if not (isinstance(name, str) and name and isinstance(code, str) and isinstance(components, list)):
        return None
    body = next((c for c in components if isinstance(c, dict) and c.get("type") == "body"), {})
    values = [p.get("text") for p in body.get("parameters") or [] if isinstance(p, dict)]
    if not values or not all(isinstance(value, str) and value for value in values):
        return None
    return f"[template {name} · {code}] " + " | ".join(values)


# --- receipts -----------------------------------------------------------------------------


def receipt_request(entry: dict, word: str | None = None) -> tuple[str, bytes]:
    """(content type, body) of the receipt Unifonic would post for an outbox ``entry``."""
    word = word or DELIVERED[entry["channel"]]
    now = _now()
    if entry["channel"] == "sms":
        fields = {
            "MessageID": entry["id"],
            "DLR": word,
            "Recipient": entry["to"].lstrip("+"),
            "TimeCreated": entry["received_at"],
            "SCTS": now,
            "DLRTimestamp": now,
        }
        return "application/x-www-form-urlencoded", urlencode(fields).encode()
    event = {
        "messageId": entry["id"],
        "eventId": str(uuid.uuid4()),
        "eventType": word,
        "applicationId": "sim-application",
        "conversationId": "sim-conversation",
        "recipient": {"channel": "whatsapp", "contact": entry["to"]},
        "timestamp": now,
        "receivedAt": now,
    }
    return "application/json", json.dumps(event).encode()


def post_receipt(url: str, entry: dict, word: str | None = None, timeout: float = 5.0) -> int:
    """Post one receipt to ``url`` (loopback or a URL given by whoever runs the simulator); the
    answer's HTTP status, 0 when nothing answered."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("the receipt URL must be http(s)")
    content_type, body = receipt_request(entry, word)
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) checked above)
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    state_word = word or DELIVERED[entry["channel"]]
    entry["receipts"].append({"word": state_word, "status": status})
    return status


def deliver_later(state, entry: dict) -> None:
    """Post the "delivered" receipt after the configured delay, trying again while the portal
    answers anything but 2xx (it answers 404 until it has stored the message as sent)."""
    url = state.receipt_urls.get(entry["channel"])
    if not url:
        return

    def run():
        for _ in range(RECEIPT_TRIES):
            if state.stopping.wait(state.receipt_delay_s):
                return
            if 200 <= post_receipt(url, entry) < 300:
                return

    threading.Thread(target=run, name="unifonic-receipt", daemon=True).start()


def _now() -> str:
    return datetime.datetime.now(tz=datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
