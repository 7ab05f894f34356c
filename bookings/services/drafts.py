"""Draft bookings: created when staff start a flow, filled step by step, resumable."""

import json
import uuid

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.language import portal_language
from bookings.models import Booking
from bookings.services.conflicts import on_conflict
from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import REOPENABLE, Status
from partners.models import Partner

INTENT_NAMESPACE = uuid.UUID("5a0c0d1e-6a3b-4a5e-9f1c-2b7d9e4c8a10")

# Fields a flow step may set on a draft; status and partner answers are not among them.
SELECTION_FIELDS = frozenset(
    {
        "patient",
        "patient_name",
        "patient_dob",
        "patient_gender",
        "guardian_name",
        "mobile",
        "email",
        "patient_language",
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


@on_conflict(attempts=2)
def booking_create_draft(
    *, partner_code: str, actor, intent: uuid.UUID | None = None, patient_language: str | None = None
) -> Booking:
    """Start a draft. ``intent`` is the key of one staff intent (the form they loaded): the same
    key posted again (double click, two posts at once, a reloaded POST) returns the same
    booking, whatever state it has reached since, instead of making a second one. The patient's
    language starts as ``patient_language``, else the language staff are using (the request's)."""
    partner = Partner.objects.get(code=partner_code)
    if not partner.is_active:
        raise ValidationError(_("%(partner)s is not active.") % {"partner": partner})
    if intent is not None and (booking := _intended(partner, actor, intent)):
        return booking
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                partner=partner,
                created_by=actor,
                patient_language=portal_language(patient_language or translation.get_language()),
                **({"idempotency_key": intent} if intent else {}),
            )
            booking.reference = f"BK-{booking.pk:06d}"
            booking.save(update_fields=["reference"])
            booking.events.create(to_status=Status.DRAFT, actor=actor, reason=gettext_noop("Draft started"))
    except IntegrityError:
        # The unique key made the twin request wait for the first one's COMMIT, then fail here.
        if intent is not None and (booking := _intended(partner, actor, intent)):
            return booking
        if intent is not None and Booking.objects.filter(idempotency_key=intent).exists():
            raise ValidationError(_("This form was already used for another booking: reload the page.")) from None
        raise
    return booking


def intent_from_selection(*, actor, partner_code: str, selection: dict) -> uuid.UUID:
    """The intent key of a post that carries none: the same person sending the same selection
    for the same product on the same day means the same booking."""
    described = json.dumps(
        [actor.pk, partner_code, timezone.localdate(), sorted(selection.items())], cls=DjangoJSONEncoder
    )
    return uuid.uuid5(INTENT_NAMESPACE, described)


def _intended(partner: Partner, actor, intent: uuid.UUID) -> Booking | None:
    return Booking.objects.filter(idempotency_key=intent, partner=partner, created_by=actor).first()


@on_conflict(attempts=2)
def booking_update_selection(*, booking_id: int, actor, **fields) -> Booking:
    """Store what staff chose or typed on a draft. Editing a failed or slot-unavailable
    booking brings it back to draft, so staff can fix it and submit again."""
    unknown = set(fields) - SELECTION_FIELDS
    if unknown:
        raise ValueError(f"Not selection fields: {sorted(unknown)}")
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking.status in REOPENABLE:
            booking_transition(
                booking=booking, to=Status.DRAFT, actor=actor, reason=gettext_noop("Reopened by staff to change it")
            )
        if booking.status != Status.DRAFT:
            raise ValidationError(
                _("%(booking)s is %(status)s and can no longer be changed.")
                % {"booking": booking, "status": booking.get_status_display().lower()}
            )
        for name, value in fields.items():
            setattr(booking, name, value)
        booking.save(update_fields=[*fields, "updated_at"])
    return booking
