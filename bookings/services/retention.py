"""Pseudonymising bookings: their patient identifiers go, what finance needs stays.

Kept: reference, partner, status and its history, amounts and currencies (quoted and booked),
the partner's booking id, dates, the product selection (speciality, doctor, services, slot),
the city, the patient's language. Gone: the patient's and guardian's names, date of birth,
gender, mobile, email, the consultation reason, the address and coordinates, the link to the
directory entry, and these values wherever the partner's answer or a note repeats them.
``pseudonymised_at`` marks a booking done, so a second run finds nothing to change.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from bookings.models import Booking, BookingEvent
from partners.redaction import erase_json, scrub

PSEUDONYMISED_FIELDS = (
    "patient_name",
    "patient_dob",
    "patient_gender",
    "guardian_name",
    "mobile",
    "email",
    "patient",
    "consultation_reason",
    "location",
    "upstream_response",
    "partner_message",
    "pseudonymised_at",
)
KEPT_LOCATION_KEYS = ("city",)


def bookings_past(cutoff: date) -> QuerySet[Booking]:
    """Bookings whose appointment (or, without one, creation) day is before ``cutoff``, not yet
    pseudonymised."""
    day = Coalesce("appointment_date", TruncDate("created_at"))
    return (
        Booking.objects.filter(pseudonymised_at__isnull=True).alias(retention_day=day).filter(retention_day__lt=cutoff)
    )


def bookings_of(*, emails: Iterable[str] = (), mobiles: Iterable[str] = (), patient_ids: Iterable[int] = ()):
    """Bookings holding one of these emails (any case) or mobiles, or filled from these patients."""
    condition = Q(patient_id__in=list(patient_ids))
    for email in emails:
        condition |= Q(email__iexact=email)
    mobiles = [mobile for mobile in mobiles if mobile]
    if mobiles:
        condition |= Q(mobile__in=mobiles)
    return Booking.objects.filter(condition).filter(pseudonymised_at__isnull=True)


def sensitive_values(booking: Booking) -> tuple[str, ...]:
    """What a booking held that identifies its patient, to scrub from any text that repeats it."""
    values = [booking.patient_name, booking.guardian_name, booking.mobile, booking.email]
    values += [str(booking.location.get("address", ""))] if isinstance(booking.location, dict) else []
    if booking.patient_dob:
        values.append(booking.patient_dob.isoformat())
    return tuple(value for value in values if value)


def bookings_pseudonymise(*, booking_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Pseudonymise these bookings (those not done already) and the notes on their history.

    Call inside a transaction. Returns ``{booking id: the identifying values it held}`` for the
    caller to erase the same values from the partner calls and messages of each booking.
    """
    bookings = list(
        Booking.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=list(booking_ids), pseudonymised_at__isnull=True)
        .order_by("pk")
    )
    now = timezone.now()
    sensitive_by_booking = {}
    for booking in bookings:
        sensitive = sensitive_values(booking)
        sensitive_by_booking[booking.pk] = sensitive
        booking.patient_name = booking.guardian_name = booking.mobile = booking.email = ""
        booking.patient_gender = booking.consultation_reason = ""
        booking.patient_dob = None
        booking.patient = None
        location = booking.location if isinstance(booking.location, dict) else {}
        booking.location = {key: location[key] for key in KEPT_LOCATION_KEYS if key in location}
        booking.upstream_response = erase_json(booking.upstream_response, sensitive=sensitive)
        booking.partner_message = scrub(booking.partner_message, sensitive)
        booking.pseudonymised_at = now
    Booking.objects.bulk_update(bookings, PSEUDONYMISED_FIELDS, batch_size=500)
    events_erase(sensitive_by_booking)
    return sensitive_by_booking


def events_with_values(booking_ids: Iterable[int]) -> QuerySet[BookingEvent]:
    """The history rows that carry values (a note typed by staff, a partner's words)."""
    return BookingEvent.objects.filter(booking_id__in=_ids(booking_ids)).exclude(reason_params={})


def events_erase(sensitive_by_booking: dict[int, tuple[str, ...]]) -> int:
    events = list(events_with_values(sensitive_by_booking).only("id", "booking_id", "reason_params"))
    for event in events:
        sensitive = sensitive_by_booking[event.booking_id]
        event.reason_params = {
            key: scrub(value, sensitive) if isinstance(value, str) else value
            for key, value in event.reason_params.items()
        }
    BookingEvent.objects.bulk_update(events, ["reason_params"], batch_size=500)
    return len(events)


def _ids(booking_ids) -> QuerySet | list[int]:
    """A subquery stays one (``values_list("pk")``); a dict or a list of ids becomes a list."""
    return booking_ids if isinstance(booking_ids, QuerySet) else list(booking_ids)
