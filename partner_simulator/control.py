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
"""

from partner_simulator import faults, routes
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
    except ValueError as exc:
        return _bad(str(exc))
    return _bad(f"unknown control endpoint {method} {path}", 404)
