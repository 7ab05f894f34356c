"""The only writers of patients: create, and edit with a history row per change."""

from django.db import transaction
from django.utils import timezone

from patients.models import Patient, PatientChange

EDITABLE_FIELDS = (
    "full_name",
    "mobile",
    "email",
    "date_of_birth",
    "gender",
    "language",
    "preferred_channel",
    "consents_to_messages",
)


def patient_create(*, actor, **fields) -> Patient:
    _check_fields(fields)
    with transaction.atomic():
        patient = Patient(created_by=actor, **fields)
        if patient.consents_to_messages:
            patient.consent_changed_at = timezone.now()
        patient.save()
        PatientChange.objects.create(
            patient=patient,
            actor=actor,
            fields=_as_text({k: (None, v) for k, v in fields.items() if v not in ("", None)}),
        )
    return patient


def patient_update(*, patient_id: int, actor, **fields) -> Patient:
    """Store the fields that changed and what they were; consent keeps the time it changed."""
    _check_fields(fields)
    with transaction.atomic():
        patient = Patient.objects.select_for_update().get(pk=patient_id)
        changed = {
            name: (getattr(patient, name), value) for name, value in fields.items() if getattr(patient, name) != value
        }
        if not changed:
            return patient
        for name, (_before, after) in changed.items():
            setattr(patient, name, after)
        update_fields = [*changed, "updated_at"]
        if "consents_to_messages" in changed:
            patient.consent_changed_at = timezone.now()
            update_fields.append("consent_changed_at")
        patient.save(update_fields=update_fields)
        PatientChange.objects.create(patient=patient, actor=actor, fields=_as_text(changed))
    return patient


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not patient fields: {sorted(unknown)}")


def _as_text(changed: dict) -> dict:
    return {name: ["" if v is None else str(v) for v in pair] for name, pair in changed.items()}


def patients_erase(*, patient_ids) -> tuple[int, int]:
    """Remove these directory entries and their edit history (which holds every value they
    had). Bookings filled from them keep their booking, without the link. Returns (patients,
    history rows) removed."""
    with transaction.atomic():
        _total, removed = Patient.objects.filter(pk__in=list(patient_ids)).delete()
    return removed.get("patients.Patient", 0), removed.get("patients.PatientChange", 0)
