"""Sanar video consultation (CONTRACT.md §2): specialities → doctors → slots → book.

Every [assumed] request and answer shape of this partner is in this module.
"""

import datetime
from dataclasses import dataclass, field

from partners.adapters.base import (
    BookingConfirmation,
    Slot,
    call,
    iso_date,
    objects,
    optional_float,
    optional_https,
    optional_money,
    parse_date,
    required_https_url,
    required_text,
    sanar_book,
    sanar_slots,
    signed_call,
    text,
    text_list,
)
from partners.money import Money, parse_pay_amount

__all__ = [
    "BookingConfirmation",
    "Doctor",
    "DoctorSlots",
    "Slot",
    "Speciality",
    "book",
    "book_payload",
    "doctors",
    "slots",
    "specialities",
]


@dataclass(frozen=True)
class Speciality:
    id: str
    name: str
    raw: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Doctor:
    doctor_id: str
    spec_id: str
    name: str
    title: str
    first_name: str
    last_name: str
    img: str | None
    gender: str
    rating: float | None
    classification: str
    sub_speciality: str
    languages: list[str]
    experience: str
    available_slot: str
    price: Money | None
    license_number: str
    qualifications: list[str]
    raw: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class DoctorSlots:
    doctor_id: str
    date: datetime.date
    doctor: Doctor | None
    slots: list[Slot]


def specialities(credential) -> list[Speciality]:
    """[sample] ``data.info.specialities = [{"id": "DP34", "name": "Family Medicine"}]``."""
    return call(credential, operation="specialities", method="GET", path="/specialities", parse=_specialities)


def doctors(credential, *, spec_id: str) -> list[Doctor]:
    """[sample] ``data.info.doctor`` (singular key) is the list of doctors."""
    return call(
        credential,
        operation="doctors",
        method="GET",
        path="/doctors",
        payload={"spec_id": spec_id},
        parse=lambda info: [_doctor(item) for item in objects(info, "doctor") if text(item.get("doctor_id"))],
    )


def slots(credential, *, doctor_id: str, date: datetime.date) -> DoctorSlots:
    """Signed GET; the signed payload is the query as strings [sample]; the answer past doctor_id is [assumed]."""
    return signed_call(
        credential,
        operation="slots",
        method="GET",
        path="/slots",
        payload={"doctor_id": doctor_id, "date": date.isoformat()},
        parse=lambda info: _doctor_slots(info, doctor_id=doctor_id, date=date),
    )


def book_payload(booking) -> dict:
    """[assumed] request body of ``POST /book``."""
    return {
        "doctor_id": booking.doctor_id,
        "spec_id": booking.speciality_id,
        "date": iso_date(booking.appointment_date),
        "slot_id": booking.slot_id,
        "time": booking.appointment_time,
        "patient": {
            "name": booking.patient_name,
            "mobile": booking.mobile,
            "email": booking.email,
            "gender": booking.patient_gender,
            "dob": iso_date(booking.patient_dob),
        },
        "partner_reference": booking.reference or "",
    }


def book(credential, *, booking, attempt: int = 1) -> BookingConfirmation:
    """[doc] returns booking_id + payment_url; [assumed] ``amount`` as "SAR 90"."""
    return sanar_book(credential, booking=booking, attempt=attempt, payload=book_payload(booking), parse=_confirmation)


# --- answers ---


def _specialities(info: dict) -> list[Speciality]:
    return [
        Speciality(id=text(item.get("id")), name=text(item.get("name")), raw=item)
        for item in objects(info, "specialities")
        if text(item.get("id"))
    ]


def _doctor(item: dict) -> Doctor:
    return Doctor(
        doctor_id=text(item.get("doctor_id")),
        spec_id=text(item.get("spec_id")),
        name=text(item.get("name")),
        title=text(item.get("title")),
        first_name=text(item.get("first_name")),
        last_name=text(item.get("last_name")),
        img=optional_https(item.get("img")),
        gender=text(item.get("gender")),
        rating=optional_float(item.get("rating")),
        classification=text(item.get("classification")),
        sub_speciality=text(item.get("sub_speciality")),
        languages=text_list(item.get("lang_spoken")),
        experience=text(item.get("total_experience")),
        available_slot=text(item.get("available_slot")),
        price=optional_money(parse_pay_amount, item.get("pay_amount")),
        license_number=text(item.get("license_number")),
        qualifications=text_list(item.get("qualifications")),
        raw=item,
    )


def _doctor_slots(info: dict, *, doctor_id: str, date: datetime.date) -> DoctorSlots:
    doctor = info.get("doctor")
    return DoctorSlots(
        doctor_id=text(info.get("doctor_id")) or doctor_id,
        date=parse_date(info.get("date"), default=date),
        doctor=_doctor(doctor) if isinstance(doctor, dict) and text(doctor.get("doctor_id")) else None,
        slots=sanar_slots(info),
    )


def _confirmation(info: dict) -> BookingConfirmation:
    return BookingConfirmation(
        booking_id=required_text(info.get("booking_id"), "booking_id"),
        payment_url=required_https_url(info, "payment_url"),
        amount=optional_money(parse_pay_amount, info.get("amount")),
        raw=info,
    )
