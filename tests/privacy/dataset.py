"""A generated data set for the retention and erasure tests: bookings on both sides of the
retention limit, each with the partner calls, messages and history a real one has."""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from bookings import selectors
from bookings.models import Booking, BookingEvent
from bookings.states import Status
from messaging.models import Message, MessageAttempt
from partners.models import Partner, UpstreamCall
from partners.redaction import mask_mobile, stored_request_body, stored_response_body
from patients.models import Patient, PatientChange
from tests.factories import get_partner, make_booking, make_call, make_event

RETENTION_DAYS = 730
PARTNERS = (Partner.Code.SANAR_VIDEO, Partner.Code.SANAR_VACCINATION, Partner.Code.SANDICARE)


@dataclass
class DataSet:
    old: list[Booking] = field(default_factory=list)
    new: list[Booking] = field(default_factory=list)
    old_patient: Patient | None = None
    kept_patient: Patient | None = None
    new_patient: Patient | None = None


def add_booking(n: int, *, days_old: int, with_appointment: bool, patient=None) -> Booking:
    today = timezone.localdate()
    name, email, mobile = f"Layla Haddad {n}", f"layla{n}@example.org", f"+9665{n:08d}"
    booked_on = timezone.now() - timedelta(days=days_old + (5 if with_appointment else 0))
    booking = make_booking(
        partner=get_partner(PARTNERS[n % 3]),
        status=(Status.AWAITING_PAYMENT, Status.RECONCILED, Status.FAILED)[n % 3],
        patient_name=name,
        guardian_name=f"Omar Haddad {n}" if n % 3 == 1 else "",
        email=email,
        mobile=mobile,
        patient_dob=date(1990, 1, 1) + timedelta(days=n),
        patient_gender="Female",
        consultation_reason=f"Headache since Monday ({n})",
        location={"city": "Riyadh", "address": f"{n} King Fahd Road", "lat": 24.7, "lng": 46.6},
        appointment_date=today - timedelta(days=days_old) if with_appointment else None,
        amount=Decimal(f"{50 + n}.25"),
        currency=("SAR", "MXN")[n % 2],
        quoted_amount=Decimal(f"{50 + n}.25"),
        quoted_currency=("SAR", "MXN")[n % 2],
        upstream_booking_id=f"SNR-{n:06d}",
        upstream_response={"booking_id": f"SNR-{n:06d}", "patient": {"name": name, "mobile": mobile}, "price": 90},
        partner_message=f"Patient {name} already has a booking",
        patient=patient,
        created_at=booked_on,
    )
    sensitive = (name, email, mobile)
    payload = {"patient_name": name, "mobile": mobile, "email": email, "dob": "1990-01-01", "slot_id": f"S{n}"}
    answer = json.dumps({"booking_id": f"SNR-{n:06d}", "patient": {"name": name}, "amount": "90.00"})
    make_call(
        booking=booking,
        url=f"https://sandicare.test/v1/history?email={email}",
        request_body=stored_request_body(payload, sensitive=sensitive),
        response_body=stored_response_body(answer, sensitive=sensitive),
        error=f"earlier log line naming {name}",
    )
    make_event(
        booking,
        to_status=Status.RECONCILED,
        reason="Reconciled by hand: %(note)s",
        reason_params={"note": f"{name} paid at the desk"},
    )
    message = Message.objects.create(
        booking=booking, channel="sms", recipient_masked=mask_mobile(mobile), language="en"
    )
    provider_call = make_call(
        partner=booking.partner,
        operation="sms",
        url="https://sms.test/rest/SMS/messages",
        request_body=stored_request_body({"recipient": mobile, "body": f"Hello {name}"}, sensitive=sensitive),
        response_body=stored_response_body(
            json.dumps({"MessageID": f"M{n}", "Recipient": mobile}), sensitive=sensitive
        ),
    )
    MessageAttempt.objects.create(
        message=message, number=1, started_at=timezone.now(), error=f"provider refused {mobile}", call=provider_call
    )
    return booking


def make_dataset(count: int = 24) -> DataSet:
    """``count`` bookings, half past the retention limit (by appointment or, without one, by
    creation), half within it, and three directory patients: one only in the past, one with a
    recent booking, one new."""
    data = DataSet()
    data.old_patient = Patient.objects.create(full_name="Old Patient", email="old@example.org", mobile="+966500000001")
    data.kept_patient = Patient.objects.create(full_name="Kept Patient", email="kept@example.org")
    data.new_patient = Patient.objects.create(full_name="New Patient", email="new@example.org")
    PatientChange.objects.create(patient=data.old_patient, fields={"full_name": [None, "Old Patient"]})
    long_ago = timezone.now() - timedelta(days=RETENTION_DAYS + 40)
    Patient.objects.filter(pk__in=[data.old_patient.pk, data.kept_patient.pk]).update(
        created_at=long_ago, updated_at=long_ago
    )
    for n in range(count):
        old = n % 2 == 0
        days_old = RETENTION_DAYS + 1 + n if old else RETENTION_DAYS - 1 - n
        patient = (data.old_patient if old else data.kept_patient) if n < 4 else None
        if n == 0:
            patient = data.kept_patient  # an old booking of a patient who also has a recent one
        booking = add_booking(n, days_old=days_old, with_appointment=n % 4 < 2, patient=patient)
        (data.old if old else data.new).append(booking)
    return data


def finance_view() -> dict:
    """What finance reads: totals per partner, status and currency, and each booking's money and ids."""
    totals = selectors.booking_totals(Booking.objects.all())
    rows = Booking.objects.order_by("pk").values_list(
        "pk",
        "reference",
        "partner_id",
        "status",
        "amount",
        "currency",
        "quoted_amount",
        "quoted_currency",
        "upstream_booking_id",
        "appointment_date",
        "created_at",
        "price_changed",
    )
    by_currency = Booking.objects.values("currency").annotate(n=Count("*"), total=Sum("amount")).order_by("currency")
    return {
        "booked": totals.booked,
        "not_booked": totals.not_booked,
        "rows": list(rows),
        "by_currency": list(by_currency),
        "events": list(BookingEvent.objects.order_by("pk").values_list("pk", "to_status", "created_at")),
        "calls": list(UpstreamCall.objects.order_by("pk").values_list("pk", "outcome", "http_status", "booking_id")),
    }


def snapshot(bookings) -> list:
    """Every stored value of these bookings and of their calls, messages and events."""
    ids = [booking.pk for booking in bookings]
    provider_calls = MessageAttempt.objects.filter(message__booking_id__in=ids).values("call_id")
    return [
        list(Booking.objects.filter(pk__in=ids).order_by("pk").values()),
        list(UpstreamCall.objects.filter(booking_id__in=ids).order_by("pk").values()),
        list(Message.objects.filter(booking_id__in=ids).order_by("pk").values()),
        list(MessageAttempt.objects.filter(message__booking_id__in=ids).order_by("pk").values()),
        list(UpstreamCall.objects.filter(pk__in=provider_calls).order_by("pk").values()),
        list(BookingEvent.objects.filter(booking_id__in=ids).order_by("pk").values()),
    ]


def whole_snapshot() -> list:
    return [
        snapshot(Booking.objects.all()),
        list(Patient.objects.order_by("pk").values()),
        list(PatientChange.objects.order_by("pk").values()),
    ]
