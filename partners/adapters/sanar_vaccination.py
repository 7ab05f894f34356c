"""Sanar kids vaccination (CONTRACT.md §3): services → details → browse → book, all POST.

``prd_id`` is the credential's product code, never typed by staff. Every [assumed]
request and answer shape of this partner is in this module.
"""

import datetime
from dataclasses import dataclass, field

from partners.adapters import base
from partners.adapters.base import BookingConfirmation, Slot
from partners.errors import InvalidValue
from partners.money import Money, money, parse_pay_amount

__all__ = [
    "BookingConfirmation",
    "Location",
    "Provider",
    "ServiceDetails",
    "Slot",
    "VaccinationService",
    "book",
    "book_payload",
    "browse",
    "details",
    "location_from_booking",
    "services",
]


@dataclass(frozen=True)
class VaccinationService:
    id: str
    name: str
    price: Money | None
    age_group: str
    raw: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class ServiceDetails:
    id: str
    name: str
    description: str
    inclusions: list[str]
    instructions: list[str]
    price: Money | None
    raw: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Location:
    city: str
    lat: float | None
    lng: float | None
    address: str = ""


@dataclass(frozen=True)
class Provider:
    provider_id: str
    name: str
    address: str
    distance_km: float | None
    slots: list[Slot]
    raw: dict = field(default_factory=dict, repr=False, compare=False)


def services(credential) -> list[VaccinationService]:
    return base.call(
        credential,
        operation="services",
        method="POST",
        path="/services",
        payload={"prd_id": credential.product_code},
        parse=lambda info: [_service(item) for item in base.objects(info, "services") if base.text(item.get("id"))],
    )


def details(credential, *, service_id: str) -> ServiceDetails:
    return base.call(
        credential,
        operation="details",
        method="POST",
        path="/details",
        payload={"id": service_id, "prd_id": credential.product_code},
        parse=_details,
    )


def browse(credential, *, date: datetime.date, location: Location, service_ids: list[str]) -> list[Provider]:
    return base.signed_call(
        credential,
        operation="browse",
        method="POST",
        path="/browse",
        payload={
            "prd_id": credential.product_code,
            "date": date.isoformat(),
            "location": _location_payload(location, with_address=False),
            "services": list(service_ids),
        },
        parse=lambda info: [
            _provider(item) for item in base.objects(info, "providers") if base.text(item.get("provider_id"))
        ],
    )


def location_from_booking(booking) -> Location:
    stored = booking.location if isinstance(booking.location, dict) else {}
    return Location(
        city=base.text(stored.get("city")),
        lat=base.optional_float(stored.get("lat")),
        lng=base.optional_float(stored.get("lng")),
        address=base.text(stored.get("address")),
    )


def book_payload(booking, *, product_code: str) -> dict:
    """[assumed] request body of ``POST /book``: the child is the patient, the guardian the contact."""
    return {
        "prd_id": product_code,
        "provider_id": booking.provider_id,
        "services": list(booking.service_ids or []),
        "date": base.iso_date(booking.appointment_date),
        "slot_id": booking.slot_id,
        "time": booking.appointment_time,
        "location": _location_payload(location_from_booking(booking), with_address=True),
        "child": {
            "name": booking.patient_name,
            "dob": base.iso_date(booking.patient_dob),
            "gender": booking.patient_gender,
        },
        "guardian": {"name": booking.guardian_name, "mobile": booking.mobile, "email": booking.email},
        "partner_reference": booking.reference or "",
    }


def book(credential, *, booking, attempt: int = 1) -> BookingConfirmation:
    """[doc] returns booking_id + payment_url; [assumed] ``amount`` and ``currency`` apart."""
    payload = book_payload(booking, product_code=credential.product_code)
    return base.sanar_book(credential, booking=booking, attempt=attempt, payload=payload, parse=_confirmation)


# --- requests and answers ---


def _location_payload(location: Location, *, with_address: bool) -> dict:
    payload: dict = {"city": location.city}
    if location.lat is not None:
        payload["lat"] = location.lat
    if location.lng is not None:
        payload["lng"] = location.lng
    if with_address and location.address:
        payload["address"] = location.address
    return payload


def _price(item: dict) -> Money | None:
    return base.optional_money(money, item.get("price"), item.get("currency"))


def _service(item: dict) -> VaccinationService:
    return VaccinationService(
        id=base.text(item.get("id")),
        name=base.text(item.get("name")),
        price=_price(item),
        age_group=base.text(item.get("age_group")),
        raw=item,
    )


def _details(info: dict) -> ServiceDetails:
    return ServiceDetails(
        id=base.required_text(info.get("id"), "id"),
        name=base.text(info.get("name")),
        description=base.text(info.get("description")),
        inclusions=base.text_list(info.get("inclusions")),
        instructions=base.text_list(info.get("instructions")),
        price=_price(info),
        raw=info,
    )


def _provider(item: dict) -> Provider:
    has_slots = isinstance(item.get("slots"), list | dict)
    return Provider(
        provider_id=base.text(item.get("provider_id")),
        name=base.text(item.get("name")),
        address=base.text(item.get("address")),
        distance_km=base.optional_float(item.get("distance_km")),
        slots=base.sanar_slots(item) if has_slots else [],
        raw=item,
    )


def _confirmation(info: dict) -> BookingConfirmation:
    amount = info.get("amount")
    total: Money | None
    try:
        total = money(amount, info.get("currency"))
    except InvalidValue:
        # Tolerate the video product's one-string form ("SAR 90") if the partner uses it here too.
        total = base.optional_money(parse_pay_amount, amount)
    return BookingConfirmation(
        booking_id=base.required_text(info.get("booking_id"), "booking_id"),
        payment_url=base.required_https_url(info, "payment_url"),
        amount=total,
        raw=info,
    )
