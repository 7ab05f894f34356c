"""What retention and a patient's erasure request change, counted first, then done.

One rule for both: the bookings chosen are pseudonymised (``bookings.services.retention``),
their partner calls (``partners.retention``) and messages (``messaging.retention``) lose the
identifiers they repeat, and the directory entries chosen are removed with their history
(``patients.services``). Access records name bookings and patients by id only: they stay.
"""

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from bookings.models import Booking
from bookings.services import retention as booking_retention
from messaging import retention as message_retention
from partners import retention as call_retention
from patients.models import Patient, PatientChange
from patients.services import patients_erase

BATCH_SIZE = 500


@dataclass
class Changes:
    """Rows changed (or that would be) per table."""

    bookings: int = 0
    booking_events: int = 0
    partner_calls: int = 0
    messages: int = 0
    patients: int = 0
    patient_changes: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @property
    def total(self) -> int:
        return sum(asdict(self).values())


@dataclass
class Selection:
    bookings: QuerySet[Booking]
    patients: QuerySet[Patient]


def retention_cutoff(today: date | None = None) -> date:
    """The first day whose data is kept: ``PATIENT_DATA_RETENTION_DAYS`` before today."""
    today = today or timezone.localdate()
    return today - timedelta(days=settings.PATIENT_DATA_RETENTION_DAYS)


def retention_selection(today: date | None = None) -> Selection:
    """Bookings past retention, and directory patients with no booking or edit since the cutoff."""
    cutoff = retention_cutoff(today)
    recent_booking = Booking.objects.filter(patient=OuterRef("pk")).filter(
        Q(appointment_date__gte=cutoff) | Q(appointment_date__isnull=True, created_at__date__gte=cutoff)
    )
    patients = Patient.objects.alias(last_day=TruncDate("updated_at")).filter(
        ~Exists(recent_booking), last_day__lt=cutoff
    )
    return Selection(bookings=booking_retention.bookings_past(cutoff), patients=patients)


def request_selection(*, email: str = "", mobile: str = "") -> Selection:
    """Everything held about the patient with this email or mobile, whatever its age."""
    condition = Q()
    if email:
        condition |= Q(email__iexact=email)
    if mobile:
        condition |= Q(mobile=mobile)
    patients = Patient.objects.filter(condition) if condition else Patient.objects.none()
    patient_ids = list(patients.values_list("pk", flat=True))
    bookings = booking_retention.bookings_of(
        emails=[email] if email else [], mobiles=[mobile] if mobile else [], patient_ids=patient_ids
    )
    return Selection(bookings=bookings, patients=Patient.objects.filter(pk__in=patient_ids))


def count(selection: Selection) -> Changes:
    """What ``erase(selection)`` would change, without changing anything."""
    booking_ids = selection.bookings.values_list("pk", flat=True)
    patient_ids = selection.patients.values_list("pk", flat=True)
    return Changes(
        bookings=selection.bookings.count(),
        booking_events=booking_retention.events_with_values(booking_ids).count(),
        partner_calls=call_retention.calls_of_bookings(
            booking_ids, call_ids=message_retention.provider_calls(booking_ids)
        ).count(),
        messages=message_retention.messages_of_bookings(booking_ids).count(),
        patients=selection.patients.count(),
        patient_changes=PatientChange.objects.filter(patient__in=patient_ids).count(),
    )


def erase(selection: Selection) -> Changes:
    """Pseudonymise the selection's bookings, a batch per transaction, then remove its patients."""
    changes = Changes()
    patient_ids = list(selection.patients.values_list("pk", flat=True))
    booking_ids = list(selection.bookings.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(booking_ids), BATCH_SIZE):
        with transaction.atomic():
            sensitive = booking_retention.bookings_pseudonymise(booking_ids=booking_ids[start : start + BATCH_SIZE])
            changes.bookings += len(sensitive)
            changes.booking_events += booking_retention.events_with_values(sensitive).count()
            provider_calls = message_retention.provider_calls(sensitive)
            changes.partner_calls += call_retention.calls_erase(sensitive, booking_of_call=provider_calls)
            changes.messages += message_retention.messages_erase(sensitive)
    changes.patients, changes.patient_changes = patients_erase(patient_ids=patient_ids)
    return changes


def apply_retention(*, dry_run: bool = False, today: date | None = None) -> Changes:
    selection = retention_selection(today)
    return count(selection) if dry_run else erase(selection)
