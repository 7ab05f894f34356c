"""Draft bookings: created when staff start a flow, filled step by step, resumable."""

from django.core.exceptions import ValidationError
from django.db import transaction

from bookings.models import Booking
from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import REOPENABLE, Status
from partners.models import Partner

# Fields a flow step may set on a draft; status and partner answers are not among them.
SELECTION_FIELDS = frozenset(
    {
        "patient_name",
        "patient_dob",
        "patient_gender",
        "guardian_name",
        "mobile",
        "email",
        "speciality_id",
        "speciality_name",
        "doctor_id",
        "doctor_name",
        "service_ids",
        "service_names",
        "provider_id",
        "provider_name",
        "slot_id",
        "appointment_date",
        "appointment_time",
        "location",
        "program_id",
        "sandicare_service",
        "consultation_reason",
        "amount",
        "currency",
    }
)


def booking_create_draft(*, partner_code: str, actor) -> Booking:
    partner = Partner.objects.get(code=partner_code)
    if not partner.is_active:
        raise ValidationError(f"{partner} is not active.")
    with transaction.atomic():
        booking = Booking.objects.create(partner=partner, created_by=actor)
        booking.reference = f"BK-{booking.pk:06d}"
        booking.save(update_fields=["reference"])
        booking.events.create(to_status=Status.DRAFT, actor=actor, reason="Draft started")
    return booking


def booking_update_selection(*, booking_id: int, actor, **fields) -> Booking:
    """Store what staff chose or typed on a draft. Editing a failed or slot-unavailable
    booking brings it back to draft, so staff can fix it and submit again."""
    unknown = set(fields) - SELECTION_FIELDS
    if unknown:
        raise ValueError(f"Not selection fields: {sorted(unknown)}")
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status in REOPENABLE:
            booking_transition(booking=booking, to=Status.DRAFT, actor=actor, reason="Reopened by staff to change it")
        if booking.status != Status.DRAFT:
            raise ValidationError(f"{booking} is {booking.get_status_display().lower()} and can no longer be changed.")
        for name, value in fields.items():
            setattr(booking, name, value)
        booking.save(update_fields=[*fields, "updated_at"])
    return booking
