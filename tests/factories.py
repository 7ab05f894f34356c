"""Test data: plain functions that write rows directly (status included), for test setup only."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from bookings.models import Booking, BookingEvent
from bookings.states import BOOKED, Status
from partners.models import Partner, UpstreamCall

_sequence = itertools.count(1)


# The rows the data migration makes; a transactional test before may have flushed them.
PARTNER_ROWS = {
    Partner.Code.SANAR_VIDEO: (Partner.Vendor.SANAR, "Sanar video consultation"),
    Partner.Code.SANAR_VACCINATION: (Partner.Vendor.SANAR, "Sanar kids vaccination"),
    Partner.Code.SANDICARE: (Partner.Vendor.SANDICARE, "Sandicare teleconsult enrollment"),
}


def get_partner(code: str = Partner.Code.SANAR_VIDEO) -> Partner:
    vendor, name = PARTNER_ROWS[code]
    partner, _ = Partner.objects.get_or_create(code=code, defaults={"vendor": vendor, "name": name})
    return partner


def booking_fields(*, partner: Partner | None = None, status: str = Status.AWAITING_PAYMENT, **fields) -> dict:
    n = next(_sequence)
    values = {
        "partner": partner or get_partner(),
        "status": status,
        "reference": f"PBT{n:07d}",
        "patient_name": f"Patient {n}",
        "mobile": f"+9665{n:08d}",
        "email": f"patient{n}@example.com",
        "upstream_booking_id": f"SNR-{n:06d}" if status in BOOKED else "",
        "amount": Decimal("90.00"),
        "currency": "SAR",
    }
    values.update(fields)
    if isinstance(values["amount"], str | int):
        values["amount"] = Decimal(values["amount"])
    return values


def make_booking(*, created_at=None, **fields) -> Booking:
    booking = Booking.objects.create(**booking_fields(**fields))
    if created_at is not None:
        Booking.objects.filter(pk=booking.pk).update(created_at=created_at)
        booking.created_at = created_at
    return booking


def make_bookings(count: int, **fields) -> list[Booking]:
    """Many bookings in one INSERT per 1,000 rows."""
    return Booking.objects.bulk_create([Booking(**booking_fields(**fields)) for _ in range(count)], batch_size=1000)


def make_call(
    *, partner: Partner | None = None, booking: Booking | None = None, created_at=None, **fields
) -> UpstreamCall:
    values = {
        "partner": partner or (booking.partner if booking else get_partner()),
        "booking": booking,
        "operation": "book",
        "method": "POST",
        "url": "https://sanar.test/v1/book",
        "attempt": 1,
        "http_status": 200,
        "body_status": "1000",
        "outcome": UpstreamCall.Outcome.OK,
        "latency_ms": 120,
    }
    values.update(fields)
    call = UpstreamCall.objects.create(**values)
    if created_at is not None:
        UpstreamCall.objects.filter(pk=call.pk).update(created_at=created_at)
        call.created_at = created_at
    return call


def make_event(booking: Booking, *, to_status: str, from_status: str = "", created_at=None, **fields) -> BookingEvent:
    event = BookingEvent.objects.create(booking=booking, from_status=from_status, to_status=to_status, **fields)
    if created_at is not None:
        BookingEvent.objects.filter(pk=event.pk).update(created_at=created_at)
        event.created_at = created_at
    return event


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)
