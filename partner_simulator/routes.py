"""Which handler serves a method + path, under the path prefixes of ``demo_keys``."""

from collections.abc import Callable
from dataclasses import dataclass

from partner_simulator import demo_keys, sanar_vaccination, sanar_video, sandicare, unifonic
from partner_simulator.protocol import Reply


@dataclass(frozen=True)
class Route:
    operation: str
    handler: Callable
    status_as_str: bool = False  # how this endpoint writes the Sanar body status


def _sanar(operation: str, endpoint) -> Route:
    return Route(operation, endpoint, endpoint.status_as_str)


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", demo_keys.SANAR_VIDEO_PATH + "/specialities"): _sanar("sanar_video.specialities", sanar_video.specialities),
    ("GET", demo_keys.SANAR_VIDEO_PATH + "/doctors"): _sanar("sanar_video.doctors", sanar_video.doctors),
    ("GET", demo_keys.SANAR_VIDEO_PATH + "/slots"): _sanar("sanar_video.slots", sanar_video.slots),
    ("POST", demo_keys.SANAR_VIDEO_PATH + "/book"): _sanar("sanar_video.book", sanar_video.book),
    ("POST", demo_keys.SANAR_VACCINATION_PATH + "/services"): _sanar(
        "sanar_vaccination.services", sanar_vaccination.services
    ),
    ("POST", demo_keys.SANAR_VACCINATION_PATH + "/details"): _sanar(
        "sanar_vaccination.details", sanar_vaccination.details
    ),
    ("POST", demo_keys.SANAR_VACCINATION_PATH + "/browse"): _sanar(
        "sanar_vaccination.browse", sanar_vaccination.browse
    ),
    ("POST", demo_keys.SANAR_VACCINATION_PATH + "/book"): _sanar("sanar_vaccination.book", sanar_vaccination.book),
    ("POST", demo_keys.SANDICARE_SANDBOX_PATH + "/meetings/enroll"): Route("sandicare.enroll", sandicare.enroll),
    ("POST", demo_keys.SANDICARE_PRODUCTION_PATH + "/meetings/enroll"): Route("sandicare.enroll", sandicare.enroll),
    # Unifonic at the root, as its own hosts serve them: the portal's UNIFONIC_*_URL is the simulator's URL.
    ("POST", unifonic.SMS_PATH): Route(unifonic.OPERATION_SMS, unifonic.send_sms),
    ("POST", unifonic.WHATSAPP_PATH): Route(unifonic.OPERATION_WHATSAPP, unifonic.send_whatsapp),
}
KNOWN_PATHS = {path for _, path in ROUTES}

BASE_PATHS = {
    "sanar_video": demo_keys.SANAR_VIDEO_PATH,
    "sanar_vaccination": demo_keys.SANAR_VACCINATION_PATH,
    "sandicare": demo_keys.SANDICARE_SANDBOX_PATH,
    "sandicare_sandbox": demo_keys.SANDICARE_SANDBOX_PATH,
    "sandicare_production": demo_keys.SANDICARE_PRODUCTION_PATH,
}


def environment_of(path: str) -> str | None:
    if path.startswith(demo_keys.SANDICARE_SANDBOX_PATH + "/"):
        return "sandbox"
    if path.startswith(demo_keys.SANDICARE_PRODUCTION_PATH + "/"):
        return "production"
    return None


def resolve(method: str, path: str) -> Route | Reply:
    """The route, or the 404/405 a real server would answer."""
    path = path.rstrip("/") or "/"
    route = ROUTES.get((method, path))
    if route is not None:
        return route
    sanar = path.startswith((demo_keys.SANAR_VIDEO_PATH + "/", demo_keys.SANAR_VACCINATION_PATH + "/"))
    if path in KNOWN_PATHS:
        allowed = sorted(m for m, p in ROUTES if p == path)
        if sanar:
            return Reply(405, {"status": 1001, "message": f"Method not allowed; use {', '.join(allowed)}", "data": {}})
        return Reply(405, {"error": "method_not_allowed", "message": f"Use {', '.join(allowed)}."})
    if sanar:
        return Reply(404, {"status": 1004, "message": "Unknown endpoint", "data": {}})
    return Reply(404, {"error": "not_found", "message": "Unknown endpoint."})
