"""Rules both Sanar products share (CONTRACT.md §1): headers, signature, envelope, error codes.

Sanar answers every outcome with HTTP 200 and the outcome in the body ``status``; the check
order is Content-Type (1001) → Authorization (1002) → JSON body (1001) → Cmt (1003) →
fields (1001) → lookups (1004) → slot (1005). ``status`` is an integer on some endpoints and
a string on others, as the partner's samples show.
"""

from collections.abc import Callable
from dataclasses import dataclass

from partner_simulator import demo_keys, signing
from partner_simulator.protocol import FieldError, Reply, SimRequest

SUCCESS = 1000
VALIDATION, UNAUTHORIZED, SIGNATURE, NOT_FOUND, SLOT_TAKEN, SERVER_ERROR = 1001, 1002, 1003, 1004, 1005, 5000


class SanarError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def envelope(code: int, message: str, info: dict | None = None, *, status_as_str: bool = False) -> dict:
    return {
        "status": str(code) if status_as_str else code,
        "message": message,
        "data": {"info": info} if info is not None else {},
    }


def request_payload(request: SimRequest) -> dict:
    """What the call is about, and what its Cmt signs: the query for a GET, else the JSON body."""
    if request.method == "GET":
        return signing.query_payload(request.query)
    if request.json_error:
        raise SanarError(VALIDATION, request.json_error)
    if request.json_body is None:
        return {}
    if not isinstance(request.json_body, dict):
        raise SanarError(VALIDATION, "body must be a JSON object")
    return request.json_body


def check_headers(request: SimRequest, *, signed: bool) -> dict:
    if not request.content_type_is_json:
        raise SanarError(VALIDATION, "Content-Type must be application/json")
    if signed:
        token = request.header("authorization")
        if not token:
            raise SanarError(UNAUTHORIZED, "Authorization header is missing")
        if token != demo_keys.SANAR_TOKEN:
            raise SanarError(UNAUTHORIZED, "Invalid authorization token")
    payload = request_payload(request)
    if signed:
        received = request.header("cmt")
        if not received:
            raise SanarError(SIGNATURE, "Cmt header is missing")
        if not signing.cmt_matches(payload, demo_keys.SANAR_CMT_SECRET, received):
            raise SanarError(SIGNATURE, "Signature mismatch")
    return payload


Handler = Callable[[SimRequest, dict, object], dict]


@dataclass(frozen=True)
class SanarEndpoint:
    """One Sanar endpoint: the shared checks around a handler that returns ``data.info``."""

    handler: Handler
    signed: bool
    status_as_str: bool
    message: str

    def __call__(self, request: SimRequest, state) -> Reply:
        try:
            payload = check_headers(request, signed=self.signed)
            info = self.handler(request, payload, state)
        except FieldError as exc:
            return self._error(VALIDATION, str(exc))
        except SanarError as exc:
            return self._error(exc.code, exc.message)
        url_path = ("data", "info", "payment_url") if "payment_url" in info else ()
        body = envelope(SUCCESS, self.message, info, status_as_str=self.status_as_str)
        return Reply(200, body, url_path=url_path, created="booking_id" in info)

    def _error(self, code: int, message: str) -> Reply:
        return Reply(200, envelope(code, message, status_as_str=self.status_as_str))


def endpoint(*, signed: bool, status_as_str: bool, message: str):
    def wrap(handler: Handler) -> SanarEndpoint:
        return SanarEndpoint(handler, signed, status_as_str, message)

    return wrap


def slot_times(slots: list[dict]) -> dict[str, dict]:
    return {slot["slot_id"]: slot for slot in slots}


def check_slot(slots: list[dict], slot_id: str, time: str, key: tuple, state) -> None:
    """The booked slot must exist that day, match its time and be free (else 1004/1001/1005)."""
    if not slots:
        raise SanarError(SLOT_TAKEN, "No slots are open on this date")
    slot = slot_times(slots).get(slot_id)
    if slot is None:
        raise SanarError(NOT_FOUND, f"Slot {slot_id} not found")
    if slot["time"] != time:
        raise FieldError("time", f"does not match slot {slot_id} ({slot['time']})")
    if not slot["available"] or state.is_taken(key):
        raise SanarError(SLOT_TAKEN, f"Slot {slot_id} is no longer available")


def with_bookings(slots: list[dict], key_prefix: tuple, state) -> list[dict]:
    """The day's slots with the ones already booked shown as unavailable."""
    return [
        {**slot, "available": slot["available"] and not state.is_taken((*key_prefix, slot["slot_id"]))}
        for slot in slots
    ]
