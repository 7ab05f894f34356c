"""Fault switches: what the next calls of an operation answer instead of the normal reply.

A fault is set explicitly (never at random) with ``inject(operation, fault, times)``.
Injections of one operation queue up in order: ``times=N`` serves the next N calls, then the
next injection (or normal service) follows; ``times=-1`` serves every call until ``reset``.

Faults that are errors create nothing. Two faults do let the create happen:
``read_timeout_after_accept`` (the booking is made, then the answer comes too late) and
``not_https_url`` (a real success whose URL is ``http://``).
"""

import threading
from dataclasses import dataclass

from partner_simulator.protocol import Reply

SANAR, SANDICARE, UNIFONIC = "sanar", "sandicare", "unifonic"
OPERATIONS = {
    "sanar_video.specialities": SANAR,
    "sanar_video.doctors": SANAR,
    "sanar_video.slots": SANAR,
    "sanar_video.book": SANAR,
    "sanar_vaccination.services": SANAR,
    "sanar_vaccination.details": SANAR,
    "sanar_vaccination.browse": SANAR,
    "sanar_vaccination.book": SANAR,
    "sandicare.enroll": SANDICARE,
    "unifonic.sms": UNIFONIC,
    "unifonic.whatsapp": UNIFONIC,
}
CREATE_OPERATIONS = frozenset({"sanar_video.book", "sanar_vaccination.book", "sandicare.enroll"})

SANAR_STATUS_MESSAGES = {
    "1001": "Validation error",
    "1002": "Unauthorized",
    "1003": "Signature mismatch",
    "1004": "Not found",
    "1005": "Slot unavailable",
    "5000": "Server error",
}
# Unifonic refusals: a wrong key, and a message it will not take (the SMS API answers both with HTTP 200).
UNIFONIC_FAULTS = ("unauthorized", "rejected")
SANDICARE_HTTP_ERRORS = {
    "http_400": (400, "invalid_request", "Missing or invalid fields."),
    "http_401": (401, "unauthorized", "Missing, invalid, or insufficient API key permissions."),
    "http_404": (404, "not_found", "Program, patient, active subscription, or service config not found."),
}
COMMON_FAULTS = (
    "http_503",
    "http_502_html",
    "bad_json",
    "missing_status",
    "read_timeout_after_accept",
    "connection_reset",
)
READ_TIMEOUT, CONNECTION_RESET, NOT_HTTPS_URL = "read_timeout_after_accept", "connection_reset", "not_https_url"
# Sanar answers in another shape (partner_simulator/shapes.py).
SHAPE_FAULTS = ("harmless_shape", "breaking_shape")
# Faults answered after the normal handler ran (so the create happens); the rest replace it.
AFTER_HANDLER = frozenset({READ_TIMEOUT, NOT_HTTPS_URL, *SHAPE_FAULTS})


def allowed_faults(operation: str) -> tuple[str, ...]:
    if operation not in OPERATIONS:
        raise ValueError(f"unknown operation {operation!r}; one of: {', '.join(OPERATIONS)}")
    if OPERATIONS[operation] == UNIFONIC:
        return UNIFONIC_FAULTS + COMMON_FAULTS
    sanar = OPERATIONS[operation] == SANAR
    family = tuple(SANAR_STATUS_MESSAGES) + SHAPE_FAULTS if sanar else tuple(SANDICARE_HTTP_ERRORS)
    return family + COMMON_FAULTS + ((NOT_HTTPS_URL,) if operation in CREATE_OPERATIONS else ())


@dataclass
class Fault:
    operation: str
    kind: str
    remaining: int  # -1: always
    sleep_s: float | None = None  # read_timeout_after_accept only; None: the simulator's default

    def as_dict(self) -> dict:
        return {"operation": self.operation, "fault": self.kind, "times": self.remaining, "sleep_s": self.sleep_s}


class FaultSwitches:
    def __init__(self):
        self._lock = threading.Lock()
        self._queues: dict[str, list[Fault]] = {}

    def inject(self, operation: str, fault: str, times: int = 1, sleep_s: float | None = None) -> Fault:
        fault = str(fault)
        allowed = allowed_faults(operation)
        if fault not in allowed:
            raise ValueError(f"fault {fault!r} does not apply to {operation}; one of: {', '.join(allowed)}")
        if isinstance(times, bool) or not isinstance(times, int) or (times < 1 and times != -1):
            raise ValueError("times must be a positive integer, or -1 for always")
        if sleep_s is not None and (isinstance(sleep_s, bool) or not isinstance(sleep_s, int | float) or sleep_s < 0):
            raise ValueError("sleep_s must be a number of seconds >= 0")
        entry = Fault(operation, fault, times, None if sleep_s is None else float(sleep_s))
        with self._lock:
            self._queues.setdefault(operation, []).append(entry)
        return entry

    def take(self, operation: str) -> Fault | None:
        """The fault for this call of ``operation``, if any, counting it as used."""
        with self._lock:
            queue = self._queues.get(operation)
            if not queue:
                return None
            current = queue[0]
            if current.remaining > 0:
                current.remaining -= 1
                if current.remaining == 0:
                    queue.pop(0)
            return Fault(current.operation, current.kind, current.remaining, current.sleep_s)

    def active(self) -> list[dict]:
        with self._lock:
            return [f.as_dict() for queue in self._queues.values() for f in queue]

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()


HTML_502 = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"
)


def fault_reply(fault: Fault, *, status_as_str: bool = False) -> Reply:
    """The answer a replacing fault gives (every fault except those in ``AFTER_HANDLER``)."""
    family = OPERATIONS[fault.operation]
    kind = fault.kind
    if family == UNIFONIC:
        return _unifonic_fault_reply(fault)
    if kind in SANAR_STATUS_MESSAGES:
        status = kind if status_as_str else int(kind)
        return Reply(200, {"status": status, "message": SANAR_STATUS_MESSAGES[kind], "data": {}})
    if kind in SANDICARE_HTTP_ERRORS:
        http_status, code, message = SANDICARE_HTTP_ERRORS[kind]
        return Reply(http_status, {"error": code, "message": message})
    if kind == "http_503":
        if family == SANAR:
            return Reply(503, {"status": 5000, "message": "Service temporarily unavailable", "data": {}})
        return Reply(503, {"error": "service_unavailable", "message": "One of our services failed. Try again later."})
    if kind == "http_502_html":
        return Reply(502, raw=HTML_502, content_type="text/html")
    if kind == "bad_json":
        return Reply(200, raw=b'{"status": 1000, "message": "ok", "data": {"info": {"booking_id": ')
    if kind == "missing_status":
        if family == SANAR:
            return Reply(200, {"message": "ok", "data": {"info": {}}})
        return Reply(200, {"message": "ok"})  # Sandicare: 200 without the url
    raise ValueError(f"{kind} is not a replacing fault")


def _unifonic_fault_reply(fault: Fault) -> Reply:
    sms, kind = fault.operation == "unifonic.sms", fault.kind
    if kind == "unauthorized":
        if sms:
            return Reply(200, {"success": False, "message": "Invalid AppSid", "errorCode": "ER-01", "data": None})
        return Reply(401, {"message": "Unauthorized: check PublicId and Secret"})
    if kind == "rejected":
        if sms:
            return Reply(200, {"success": False, "message": "Destination blocked", "errorCode": "ER-10", "data": None})
        return Reply(400, {"message": "Recipient is not a WhatsApp user"})
    if kind == "http_503":
        return Reply(503, {"success": False, "message": "Service unavailable", "errorCode": "ER-503"})
    if kind == "http_502_html":
        return Reply(502, raw=HTML_502, content_type="text/html")
    if kind == "bad_json":
        return Reply(200, raw=b'{"success": true, "data": {"MessageID": ')
    if kind == "missing_status":
        return Reply(200, {"success": True, "message": "", "errorCode": "ER-00", "data": {}} if sms else {})
    raise ValueError(f"{kind} is not a replacing fault")
