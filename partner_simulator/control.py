"""The simulator's own control endpoints under ``/_sim``, to drive a separately started process.

``GET  /_sim/health``                      liveness, operations and API base paths
``GET  /_sim/faults``                      faults still queued
``POST /_sim/faults``                      ``{"operation", "fault", "times": 1, "sleep_s": null}``
``DELETE /_sim/faults``                    clear the faults only
``POST /_sim/latency``                     ``{"ms": 250}``: added to every partner request
``POST /_sim/read-timeout-sleep``          ``{"seconds": 5}``: default sleep of ``read_timeout_after_accept``
``POST /_sim/reset``                       bookings, creates, received log, faults, latency
``GET  /_sim/received[?operation=…]``      requests received (method, path, query, headers, json)
``GET  /_sim/creates[?operation=…]``       successful creates: counts and records
``GET  /_sim/outbox[?channel=sms|whatsapp]`` SMS and WhatsApp messages received (Unifonic), newest last
``GET  /_sim/outbox.html``                 the same as a page, for a person running ``make run``
``POST /_sim/receipt-urls``                ``{"sms": url, "whatsapp": url, "delay_s": 1}``: where
                                           "delivered" receipts go, posted automatically
``POST /_sim/receipts``                    ``{"id": …, "word": "Undeliverable", "url": optional}``:
                                           post one receipt now; answers the portal's HTTP status
"""

import html

from partner_simulator import faults, routes, unifonic
from partner_simulator.protocol import Reply, parse_json
from partner_simulator.signing import query_payload

PREFIX = "/_sim"


def _ok(**values) -> Reply:
    return Reply(200, {"ok": True, **values})


def _bad(message: str, status: int = 400) -> Reply:
    return Reply(status, {"ok": False, "error": message})


def handle(simulator, method: str, path: str, query: str, body: bytes) -> Reply:
    state = simulator.state
    params = query_payload(query)
    name = path[len(PREFIX) :].strip("/")
    payload, error = parse_json(body)
    if error:
        return _bad(error)
    payload = payload if isinstance(payload, dict) else {}
    try:
        if (method, name) == ("GET", "health"):
            return _ok(url=simulator.url, operations=list(faults.OPERATIONS), base_paths=routes.BASE_PATHS)
        if (method, name) == ("GET", "faults"):
            return _ok(faults=state.faults.active())
        if (method, name) == ("POST", "faults"):
            if "operation" not in payload or "fault" not in payload:
                return _bad("operation and fault are required")
            state.faults.inject(
                payload["operation"], payload["fault"], payload.get("times", 1), sleep_s=payload.get("sleep_s")
            )
            return _ok(faults=state.faults.active())
        if (method, name) == ("DELETE", "faults"):
            state.faults.clear()
            return _ok(faults=[])
        if (method, name) == ("POST", "latency"):
            state.set_latency(payload.get("ms"))
            return _ok(latency_ms=state.latency_ms)
        if (method, name) == ("POST", "read-timeout-sleep"):
            state.set_read_timeout_sleep(payload.get("seconds"))
            return _ok(read_timeout_sleep_s=state.read_timeout_sleep_s)
        if (method, name) == ("POST", "reset"):
            state.reset()
            return _ok()
        if (method, name) == ("GET", "received"):
            return _ok(requests=state.received(params.get("operation")))
        if (method, name) == ("GET", "creates"):
            operation = params.get("operation")
            counts = {op: state.successful_creates(op) for op in sorted(faults.CREATE_OPERATIONS)}
            result = {"counts": counts, "creates": state.creates(operation)}
            if operation:
                result["count"] = state.successful_creates(operation)
            return _ok(**result)
        if (method, name) == ("GET", "outbox"):
            return _ok(messages=state.outbox(params.get("channel")))
        if (method, name) == ("GET", "outbox.html"):
            return Reply(200, raw=outbox_page(state.outbox()).encode(), content_type="text/html")
        if (method, name) == ("POST", "receipt-urls"):
            urls = {key: value for key, value in payload.items() if key in ("sms", "whatsapp")}
            state.set_receipts(urls=urls, delay_s=payload.get("delay_s"))
            return _ok(receipt_urls=state.receipt_urls, delay_s=state.receipt_delay_s)
        if (method, name) == ("POST", "receipts"):
            entry = state.outbox_entry(str(payload.get("id", "")))
            if entry is None:
                return _bad("no message with this id in the outbox", 404)
            url = payload.get("url") or state.receipt_urls.get(entry["channel"])
            if not url:
                return _bad(f"no receipt URL for {entry['channel']}: pass url or set one with /_sim/receipt-urls")
            return _ok(status=unifonic.post_receipt(url, entry, payload.get("word") or None))
    except ValueError as exc:
        return _bad(str(exc))
    return _bad(f"unknown control endpoint {method} {path}", 404)


def outbox_page(messages: list[dict]) -> str:
    """The SMS and WhatsApp messages received, newest first, as the phone would show them."""
    rows = "".join(
        "<tr><td>{received_at}</td><td>{channel}</td><td dir=ltr>{to}</td><td>{id}</td>"
        "<td><pre dir=auto>{text}</pre></td><td>{receipts}</td></tr>".format(
            **{key: html.escape(str(value)) for key, value in message.items() if key != "receipts"},
            receipts=html.escape(", ".join(f"{r['word']} → {r['status'] or 'no answer'}" for r in message["receipts"])),
        )
        for message in reversed(messages)
    )
    return (
        "<!DOCTYPE html><html><head><meta charset=utf-8><meta http-equiv=refresh content=5>"
        "<title>Simulator outbox</title><style>body{font-family:sans-serif}td,th{border:1px solid #ccc;"
        "padding:4px;vertical-align:top}pre{white-space:pre-wrap;margin:0}</style></head><body>"
        f"<h1>SMS and WhatsApp received ({len(messages)})</h1><table><tr><th>received (UTC)</th><th>channel</th>"
        "<th>to</th><th>id</th><th>text</th><th>receipts posted</th></tr>"
        f"{rows}</table></body></html>"
    )
