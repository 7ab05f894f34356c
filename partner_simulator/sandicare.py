"""Sandicare teleconsult enrollment (CONTRACT.md §4): ``POST /meetings/enroll`` in two environments.

Check order, as the partner documents its flow: API key (401) → fields (400) → program of
the key's tenant (404) → patient by email (404) → active subscription matching program,
email and date of birth (404) → service configured for the program (404) → URL.
Errors answer ``{"error": "<code>", "message": "<text>"}`` with the HTTP status.
"""

from partner_simulator import data, demo_keys
from partner_simulator.protocol import FieldError, Reply, SimRequest, choice, iso_date, text

OPERATION_ENROLL = "sandicare.enroll"
KEYS = {"sandbox": demo_keys.SANDICARE_SANDBOX_KEY, "production": demo_keys.SANDICARE_PRODUCTION_KEY}
TENANT_OF_KEY = {
    demo_keys.SANDICARE_SANDBOX_KEY: data.DEMO_TENANT,
    demo_keys.SANDICARE_PRODUCTION_KEY: data.DEMO_TENANT,
}


class SandicareError(Exception):
    def __init__(self, http_status: int, code: str, message: str):
        super().__init__(message)
        self.http_status = http_status
        self.code = code
        self.message = message

    def reply(self) -> Reply:
        return Reply(self.http_status, {"error": self.code, "message": self.message})


def _authenticate(request: SimRequest) -> str:
    key = request.header("x-api-key")
    if not key:
        raise SandicareError(401, "unauthorized", "Missing x-api-key header.")
    if key not in TENANT_OF_KEY:
        raise SandicareError(401, "unauthorized", "Invalid API key.")
    if key != KEYS[request.environment]:
        raise SandicareError(
            401, "unauthorized", f"This API key is not valid for the {request.environment} environment."
        )
    return TENANT_OF_KEY[key]


def _validate(request: SimRequest) -> dict:
    if request.json_error:
        raise SandicareError(400, "invalid_request", request.json_error)
    body = request.json_body
    if not isinstance(body, dict):
        raise FieldError("body", "must be a JSON object")
    program_id = text(body, "programId")
    if not program_id.isascii() or not program_id.isdigit():
        raise FieldError("programId", "must be a string of digits")
    service = choice(body, "service", data.SANDICARE_SERVICES)
    text(body, "email")
    date_of_birth = iso_date(body, "dateOfBirth")
    if service == "general_medicine":
        text(body, "consultationReason")
    elif "consultationReason" in body:
        raise FieldError("consultationReason", f"must be omitted for service {service}")
    return {**body, "dateOfBirth": date_of_birth.isoformat()}


def _enroll_url(tenant: str, body: dict, state) -> str:
    program_id, service = body["programId"], body["service"]
    program = data.SANDICARE_PROGRAMS.get(program_id)
    if program is None or program["tenant"] != tenant:
        raise SandicareError(404, "program_not_found", f"Program {program_id} not found.")
    patient = data.SANDICARE_PATIENTS.get(body["email"].strip().lower())
    if patient is None:
        raise SandicareError(404, "patient_not_found", "No patient is registered with this email.")
    valid_until = patient["subscriptions"].get(program_id)
    if patient["date_of_birth"] != body["dateOfBirth"] or valid_until is None or valid_until < state.today():
        raise SandicareError(
            404, "subscription_not_found", "No active subscription matches this program, email and date of birth."
        )
    if service not in program["services"]:
        raise SandicareError(404, "service_not_configured", f"Service {service} is not configured for this program.")
    if service == "general_medicine":
        return data.NIMBO_WAITING_ROOM.format(room=state.next_id("WR").lower())
    return data.SERVICE_LINKS[service].format(program=program_id)


def enroll(request: SimRequest, state) -> Reply:
    try:
        tenant = _authenticate(request)
        body = _validate(request)
        url = _enroll_url(tenant, body, state)
    except FieldError as exc:
        return Reply(400, {"error": "invalid_request", "message": str(exc)})
    except SandicareError as exc:
        return exc.reply()
    state.record_create(
        OPERATION_ENROLL,
        environment=request.environment,
        program_id=body["programId"],
        service=body["service"],
        email=body["email"],
        url=url,
    )
    return Reply(200, {"url": url}, url_path=("url",), created=True)
