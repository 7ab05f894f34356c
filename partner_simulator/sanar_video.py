"""Sanar video consultation (CONTRACT.md §2): specialities → doctors → slots → book."""

import copy

from partner_simulator import data
from partner_simulator.protocol import FieldError, choice, email, iso_date, mobile, obj, text
from partner_simulator.sanar import NOT_FOUND, SLOT_TAKEN, SanarError, check_slot, endpoint, with_bookings

OPERATION_BOOK = "sanar_video.book"
GENDERS = ("Male", "Female")


def _doctor(doctor_id: str) -> dict:
    if doctor_id not in data.DOCTORS:
        raise SanarError(NOT_FOUND, f"Doctor {doctor_id} not found")
    return copy.deepcopy(data.DOCTORS[doctor_id])


def _day_slots(doctor_id: str, day, state) -> list[dict]:
    slots = data.schedule(doctor_id, day, data.DOCTOR_FIRST_HOUR[doctor_id], state.today())
    return with_bookings(slots, ("video", doctor_id, day.isoformat()), state)


@endpoint(signed=False, status_as_str=False, message="specialities found")
def specialities(request, payload, state) -> dict:
    return {"specialities": copy.deepcopy(data.SPECIALITIES)}


@endpoint(signed=False, status_as_str=True, message="doctors found")
def doctors(request, payload, state) -> dict:
    spec_id = text(payload, "spec_id")
    if spec_id not in data.SPECIALITY_NAMES:
        raise SanarError(NOT_FOUND, f"Speciality {spec_id} not found")
    return {"doctor": [copy.deepcopy(d) for d in data.DOCTORS.values() if d["spec_id"] == spec_id]}


@endpoint(signed=True, status_as_str=True, message="slots found")
def slots(request, payload, state) -> dict:
    doctor_id = text(payload, "doctor_id")
    day = iso_date(payload, "date")
    doctor = _doctor(doctor_id)
    return {
        "doctor_id": doctor_id,
        "date": day.isoformat(),
        "doctor": doctor,
        "slots": _day_slots(doctor_id, day, state),
    }


@endpoint(signed=True, status_as_str=False, message="booking created")
def book(request, payload, state) -> dict:
    doctor_id = text(payload, "doctor_id")
    spec_id = text(payload, "spec_id")
    day = iso_date(payload, "date")
    slot_id = text(payload, "slot_id")
    time = text(payload, "time")
    patient = obj(payload, "patient")
    text(patient, "name", "patient.")
    mobile(patient, "mobile", "patient.")
    email(patient, "email", "patient.")
    choice(patient, "gender", GENDERS, "patient.")
    if iso_date(patient, "dob", "patient.") > state.today():
        raise FieldError("patient.dob", "must not be in the future")
    partner_reference = text(payload, "partner_reference")

    doctor = _doctor(doctor_id)
    if doctor["spec_id"] != spec_id:
        raise SanarError(NOT_FOUND, f"Doctor {doctor_id} not found in speciality {spec_id}")
    key = ("video", doctor_id, day.isoformat(), slot_id)
    check_slot(_day_slots(doctor_id, day, state), slot_id, time, key, state)
    booking_id = state.take_slot(
        key,
        OPERATION_BOOK,
        "SNR",
        partner_reference=partner_reference,
        doctor_id=doctor_id,
        date=day.isoformat(),
        slot_id=slot_id,
        amount=doctor["pay_amount"],
    )
    if booking_id is None:  # taken by a concurrent call since the check
        raise SanarError(SLOT_TAKEN, f"Slot {slot_id} is no longer available")
    return {
        "booking_id": booking_id,
        "payment_url": f"https://pay.sanar.example/checkout/{booking_id}",
        "amount": doctor["pay_amount"],
    }
