"""What the hand-off page and the patient's slip say about a booking: the service in words and
the partner's instructions for the patient. Reads the stored catalogue only, never the partner."""

from dataclasses import dataclass, field

from bookings.models import Booking
from partners.adapters.sandicare import SERVICES as SANDICARE_SERVICES
from partners.models import Partner, VaccinationService


@dataclass(frozen=True)
class Handoff:
    service: str
    instructions: list[str] = field(default_factory=list)


def booking_handoff(booking: Booking) -> Handoff:
    code = booking.partner.code
    if code == Partner.Code.SANAR_VACCINATION:
        return Handoff(", ".join(booking.service_names), _vaccination_instructions(booking))
    if code == Partner.Code.SANDICARE:
        return Handoff(SANDICARE_SERVICES.get(booking.sandicare_service, booking.sandicare_service))
    return Handoff(booking.speciality_name)


def _vaccination_instructions(booking: Booking) -> list[str]:
    """Each distinct instruction of the booked services, in the order the partner gave them."""
    services = VaccinationService.objects.filter(service_id__in=booking.service_ids).values_list(
        "service_id", "instructions"
    )
    by_id = dict(services)
    found: list[str] = []
    for service_id in booking.service_ids:
        for item in by_id.get(service_id) or []:
            if item not in found:
                found.append(item)
    return found
