"""A booking's patient in the directory: a typed patient saved to it, or the booking linked to
a patient already there. Neither changes what the booking holds, only which record it names."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bookings.models import Booking
from bookings.services.transitions import lock_booking
from patients.models import Patient
from patients.selectors import directory_matches, same_name
from patients.services import patient_create, patient_update


def booking_link_patient(*, booking_id: int, patient_id: int, actor) -> Booking:
    """Name ``patient_id`` as the booking's directory record (a patient typed by hand who was
    already in the directory)."""
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.patient_id == patient_id:
            return booking
        if booking.patient_id is not None:
            raise ValidationError(_("This booking is already linked to a patient of the directory."))
        booking.patient = Patient.objects.get(pk=patient_id)
        booking.save(update_fields=["patient", "updated_at"])
    return booking


def booking_save_patient(
    *, booking_id: int, actor, full_name: str, consents_to_messages: bool, preferred_channel: str
) -> tuple[Patient, bool]:
    """Save the booking's typed patient to the directory and link the booking to them; a patient
    of the same name with the booking's mobile or email is that patient, linked, not added again
    (their consent and channel take what staff recorded now). Returns (patient, created)."""
    answers = {"consents_to_messages": consents_to_messages, "preferred_channel": preferred_channel}
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.patient_id is not None:
            raise ValidationError(_("This booking is already linked to a patient of the directory."))
        found = next(
            (
                patient
                for patient in directory_matches(mobile=booking.mobile, email=booking.email)
                if same_name(patient.full_name, full_name)
            ),
            None,
        )
        if found is not None:
            patient = patient_update(patient_id=found.pk, actor=actor, **answers)
        else:
            patient = patient_create(actor=actor, **_typed(booking, full_name), **answers)
        booking.patient = patient
        booking.save(update_fields=["patient", "updated_at"])
    return patient, found is None


def _typed(booking: Booking, full_name: str) -> dict:
    values = {
        "full_name": full_name,
        "mobile": booking.mobile,
        "email": booking.email,
        "date_of_birth": booking.patient_dob,
        "gender": booking.patient_gender,
        "language": booking.patient_language,
    }
    return {name: value for name, value in values.items() if value not in ("", None)}
