"""The fault matrix: each fault, how the simulator injects it, and what CONTRACT.md §5 says follows.

``FaultRouter`` gives every booking its own fault plan on the partner simulator, so bookings
with different faults can run through the worker at the same time: the simulator's own
switches are per operation, the router picks the fault from the booking reference the
request carries (``partner_reference``, or the Sandicare ``consultationReason``).
"""

import collections
import re
import threading
from dataclasses import dataclass

from bookings.states import Status
from partner_simulator.faults import Fault, FaultSwitches
from partners.models import Partner, UpstreamCall

Out = UpstreamCall.Outcome
BOOKED = "booked"  # awaiting_payment (Sanar) / enrolled (Sandicare)
MAX_ATTEMPTS = 3  # the worker's PARTNER_MAX_RETRIES (worker_env: 2) + 1
CREATE_OPERATIONS = {
    Partner.Code.SANAR_VIDEO: "sanar_video.book",
    Partner.Code.SANAR_VACCINATION: "sanar_vaccination.book",
    Partner.Code.SANDICARE: "sandicare.enroll",
}
COLUMNS = {
    Partner.Code.SANAR_VIDEO: "video /book",
    Partner.Code.SANAR_VACCINATION: "vaccination /book",
    Partner.Code.SANDICARE: "Sandicare enroll",
}


@dataclass(frozen=True)
class Plan:
    """The simulator faults one booking's calls meet, in order; then normal service."""

    kinds: tuple[str, ...] = ()
    always: bool = False  # the last kind answers every later call too
    hold_s: float = 0.0  # wait this long before the partner acts (the client is kept waiting)
    sleep_s: float | None = None  # read_timeout_after_accept only

    def fault_for_call(self, index: int) -> str | None:
        if index < len(self.kinds):
            return self.kinds[index]
        return self.kinds[-1] if self.always and self.kinds else None


@dataclass(frozen=True)
class Row:
    """One fault of the matrix and the end CONTRACT.md §5 / ``bookings.services.outcomes`` define."""

    label: str
    sanar: Plan | None
    sandicare: Plan | None  # None: does not apply to Sandicare ("n/a")
    end: str  # BOOKED or a Status
    outcomes: tuple[str, ...]  # every attempt stored, in order
    creates: int  # what the partner made: at most one, ever
    credential_failing: bool = False
    connection: str | None = None  # "unreachable" / "closed": the credential's base URL points there
    sandicare_label: str = ""  # the Sandicare answer a Sanar body status maps to

    def plan(self, partner_code: str) -> Plan | None:
        return self.sandicare if partner_code == Partner.Code.SANDICARE else self.sanar

    def applies_to(self, partner_code: str) -> bool:
        return self.plan(partner_code) is not None

    def end_status(self, partner_code: str) -> str:
        if self.end != BOOKED:
            return self.end
        return Status.ENROLLED if partner_code == Partner.Code.SANDICARE else Status.AWAITING_PAYMENT


def _same(*kinds, **options) -> dict:
    plan = Plan(kinds, **options)
    return {"sanar": plan, "sandicare": plan}


ROWS = (
    Row("connect timeout", **_same(), end=Status.NEEDS_ATTENTION,
        outcomes=(Out.TIMEOUT_BEFORE_SEND,) * MAX_ATTEMPTS, creates=0, connection="unreachable"),
    Row("connection refused", **_same(), end=Status.NEEDS_ATTENTION,
        outcomes=(Out.CONNECTION_ERROR,) * MAX_ATTEMPTS, creates=0, connection="closed"),
    Row("read timeout after the partner accepted", **_same("read_timeout_after_accept"),
        end=Status.VERIFY_WITH_PARTNER, outcomes=(Out.TIMEOUT_AFTER_SEND,), creates=1),
    Row("connection reset", **_same("connection_reset"), end=Status.VERIFY_WITH_PARTNER,
        outcomes=(Out.CONNECTION_ERROR,), creates=0),
    Row("body status 1001", Plan(("1001",)), Plan(("http_400",)), end=Status.FAILED, outcomes=(Out.VALIDATION,),
        creates=0, sandicare_label="HTTP 400"),
    Row("body status 1002", Plan(("1002",)), Plan(("http_401",)), end=Status.NEEDS_ATTENTION,
        outcomes=(Out.UNAUTHORIZED,), creates=0, credential_failing=True, sandicare_label="HTTP 401"),
    Row("body status 1003 once", Plan(("1003",)), None, end=BOOKED, outcomes=(Out.SIGNATURE_MISMATCH, Out.OK),
        creates=1),
    Row("body status 1003 twice", Plan(("1003", "1003")), None, end=Status.NEEDS_ATTENTION,
        outcomes=(Out.SIGNATURE_MISMATCH,) * 2, creates=0, credential_failing=True),
    Row("body status 1004", Plan(("1004",)), Plan(("http_404",)), end=Status.FAILED, outcomes=(Out.NOT_FOUND,),
        creates=0, sandicare_label="HTTP 404"),
    Row("body status 1005", Plan(("1005",)), None, end=Status.SLOT_UNAVAILABLE, outcomes=(Out.SLOT_UNAVAILABLE,),
        creates=0),
    Row("5000 once, then success", Plan(("5000",)), Plan(("http_503",)), end=BOOKED,
        outcomes=(Out.SERVER_ERROR, Out.OK), creates=1, sandicare_label="HTTP 503"),
    Row("5000 always", Plan(("5000",), always=True), Plan(("http_503",), always=True), end=Status.NEEDS_ATTENTION,
        outcomes=(Out.SERVER_ERROR,) * MAX_ATTEMPTS, creates=0, sandicare_label="HTTP 503"),
    Row("HTTP 503 twice, then success", **_same("http_503", "http_503"), end=BOOKED,
        outcomes=(Out.SERVER_ERROR, Out.SERVER_ERROR, Out.OK), creates=1),
    Row("HTTP 502 with an HTML page", **_same("http_502_html"), end=Status.VERIFY_WITH_PARTNER,
        outcomes=(Out.BAD_RESPONSE,), creates=0),
    Row("malformed JSON", **_same("bad_json"), end=Status.VERIFY_WITH_PARTNER, outcomes=(Out.BAD_RESPONSE,),
        creates=0),
    Row("success with a non-https payment URL", **_same("not_https_url"), end=Status.VERIFY_WITH_PARTNER,
        outcomes=(Out.BAD_RESPONSE,), creates=1),
    Row("success without status / URL (extra)", **_same("missing_status"), end=Status.VERIFY_WITH_PARTNER,
        outcomes=(Out.BAD_RESPONSE,), creates=0),
    Row("no fault (control)", **_same(), end=BOOKED, outcomes=(Out.OK,), creates=1),
)  # fmt: skip
ROWS_BY_LABEL = {row.label: row for row in ROWS}
# Faults that are per booking (the simulator answers them): the randomized run draws from these.
# Connect timeout / refused are per credential (its base URL), so only the matrix runs them.
PER_BOOKING_ROWS = tuple(row for row in ROWS if row.connection is None)

# What each attempt row must hold: HTTP status, and body status where the partner sent one.
_SANAR_CODES = {"1001", "1002", "1003", "1004", "1005", "5000"}
_HTTP_OF_FAULT = {"http_400": 400, "http_401": 401, "http_404": 404, "http_503": 503, "http_502_html": 502}
_NO_ANSWER = {"read_timeout_after_accept", "connection_reset"}


def expected_call(partner_code: str, fault: str | None, *, connection: str | None = None) -> tuple:
    """(http_status, body_status or None for "not checked") of the attempt that met ``fault``."""
    sanar = partner_code != Partner.Code.SANDICARE
    if connection or fault in _NO_ANSWER:
        return None, ""
    if fault in _SANAR_CODES:
        return 200, fault
    if fault == "http_503":
        return 503, "5000" if sanar else "service_unavailable"
    if fault in _HTTP_OF_FAULT:
        return _HTTP_OF_FAULT[fault], None
    if fault is None:
        return 200, "1000" if sanar else ""
    return 200, None  # bad_json, missing_status, not_https_url


_REFERENCE = re.compile(r"BK-\d+")


def booking_key(request_json) -> str | None:
    if not isinstance(request_json, dict):
        return None
    for name in ("partner_reference", "consultationReason"):
        value = request_json.get(name)
        if isinstance(value, str) and (match := _REFERENCE.search(value)):
            return match.group(0)
    return None


class _RoutedFaults(FaultSwitches):
    def __init__(self, router: "FaultRouter"):
        super().__init__()
        self.router = router

    def take(self, operation: str) -> Fault | None:
        routed = self.router.next_fault(operation)
        return routed if routed is not None else super().take(operation)


class FaultRouter:
    """Installs per-booking faults on a running ``PartnerSimulator`` and counts per booking."""

    def __init__(self, simulator):
        self.state = state = simulator.state
        self.plans: dict[str, Plan] = {}
        self.calls: collections.Counter = collections.Counter()  # create requests received
        self.creates: collections.Counter = collections.Counter()  # successful creates
        self._current = threading.local()
        self._lock = threading.Lock()
        record_request, record_create = state.record_request, state.record_create

        def routed_record_request(entry):
            self._current.key = booking_key(entry.get("json"))
            self._current.operation = entry.get("operation")
            record_request(entry)

        def routed_record_create(operation, **details):
            with self._lock:
                self.creates[getattr(self._current, "key", None)] += 1
            record_create(operation, **details)

        state.record_request = routed_record_request
        state.record_create = routed_record_create
        state.faults = _RoutedFaults(self)

    def plan(self, reference: str, plan: Plan) -> None:
        with self._lock:
            self.plans[reference] = plan

    def next_fault(self, operation: str) -> Fault | None:
        key = getattr(self._current, "key", None)
        if key is None or operation not in CREATE_OPERATIONS.values():
            return None
        with self._lock:
            plan = self.plans.get(key)
            index = self.calls[key]
            self.calls[key] += 1
        if plan is None:
            return None
        if plan.hold_s:
            self.state.sleep(plan.hold_s)
        kind = plan.fault_for_call(index)
        return Fault(operation, kind, 1, plan.sleep_s) if kind else None
