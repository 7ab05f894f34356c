"""Sandicare teleconsult enrollment (CONTRACT.md §4): one call, ``POST /meetings/enroll``.

The ``x-api-key`` header goes on every request (the client adds it). The error body
``{"error", "message"}`` is [assumed]; the rest is [doc].
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from partners.adapters.base import call, iso_date
from partners.responses import require_https_url

__all__ = ["ENROLL_PATH", "SERVICES", "Enrollment", "enroll", "enroll_payload"]

ENROLL_PATH = "/meetings/enroll"
GENERAL_MEDICINE = "general_medicine"
# Sandicare's service enum and the portal's label for each (shown to staff, never sent).
SERVICES = {
    "general_medicine": _("General medicine"),
    "nutrition": _("Nutrition"),
    "psychology": _("Psychology"),
    "internal_medicine": _("Internal medicine"),
}


@dataclass(frozen=True)
class Enrollment:
    url: str
    is_waiting_room: bool
    raw: dict = field(default_factory=dict, repr=False, compare=False)


def enroll_payload(booking, *, credential=None) -> dict:
    """The body [doc]; ``consultationReason`` is sent for general medicine only, absent otherwise."""
    program_id = booking.program_id
    if not program_id and credential is not None and len(credential.programs) == 1:
        program_id = credential.programs[0]
    payload = {
        "programId": program_id,
        "service": booking.sandicare_service,
        "email": booking.email,
        "dateOfBirth": iso_date(booking.patient_dob),
    }
    if booking.sandicare_service == GENERAL_MEDICINE:
        payload["consultationReason"] = booking.consultation_reason
    return payload


def enroll(credential, *, booking, attempt: int = 1) -> Enrollment:
    """General medicine gets a Nimbo waiting room made on demand; other services a fixed link [doc]."""
    is_waiting_room = booking.sandicare_service == GENERAL_MEDICINE
    return call(
        credential,
        operation="enroll",
        method="POST",
        path=ENROLL_PATH,
        payload=enroll_payload(booking, credential=credential),
        booking=booking,
        attempt=attempt,
        parse=lambda answer: Enrollment(
            url=require_https_url(answer.get("url")), is_waiting_room=is_waiting_room, raw=answer
        ),
    )
