"""Helpers shared by the video consultation flow's view tests (plain functions, no fixtures)."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from partners.adapters import sanar_video
from partners.models import Credential, Doctor, Partner, Speciality
from tests.bookings.views.flow_support import day_slots, draft_through, sanar_simulator_credential, tomorrow, url

PATIENT = {
    "patient_name": "Sara Ali",
    "mobile": "+966501234567",
    "email": "sara@example.org",
    "patient_gender": "Female",
    "patient_dob": datetime.date(1990, 5, 17),
}


def make_catalogue(*, synced_at=None) -> dict:
    """Two specialities and three doctors, as a sync from Sanar would have stored them."""
    synced_at = synced_at or timezone.now()
    family = Speciality.objects.create(speciality_id="DP34", name="Family Medicine", synced_at=synced_at)
    pediatrics = Speciality.objects.create(speciality_id="DP12", name="Pediatrics", synced_at=synced_at)
    Speciality.objects.create(speciality_id="DP99", name="Retired Speciality", synced_at=synced_at, is_active=False)
    common = {"synced_at": synced_at, "languages": ["Arabic", "English"], "gender": "Male"}
    Doctor.objects.create(
        doctor_id="EMP86190",
        speciality=family,
        name="Dr. Prince George",
        title="Dr.",
        first_name="Prince",
        last_name="George",
        img="https://cdn.sanar.example/doctors/EMP86190.jpg",
        rating=Decimal("4.8"),
        classification="Consultant",
        sub_speciality="General",
        experience="10 years of experience",
        available_slot="09:00",
        price_amount=Decimal("90"),
        price_currency="SAR",
        **common,
    )
    Doctor.objects.create(
        doctor_id="EMP86205",
        speciality=family,
        name="Dr. Noura Al Harbi",
        first_name="Noura",
        last_name="Al Harbi",
        rating=Decimal("4.6"),
        classification="Specialist",
        experience="7 years of experience",
        available_slot="13:00",
        price_amount=Decimal("75.50"),
        price_currency="SAR",
        **common,
    )
    Doctor.objects.create(
        doctor_id="EMP86212", speciality=pediatrics, name="Dr. Layla Haddad", rating=Decimal("4.9"), **common
    )
    return {"family": family, "pediatrics": pediatrics}


STAGES = {
    "speciality": {"speciality_id": "DP34", "speciality_name": "Family Medicine"},
    "doctor": {
        "doctor_id": "EMP86190",
        "doctor_name": "Dr. Prince George",
        "amount": Decimal("90"),
        "currency": "SAR",
    },
    "slot": lambda: {"appointment_date": tomorrow(), "slot_id": "S-0930", "appointment_time": "09:30"},
    "patient": PATIENT,
}


def video_draft(user, *, through: str | None = None, **fields) -> Booking:
    """A draft booking with every step up to ``through`` done (None: just started)."""
    return draft_through(Partner.Code.SANAR_VIDEO, STAGES, user, through=through, **fields)


def simulator_credential(partner_simulator) -> Credential:
    """A video consultation credential on the simulator."""
    return sanar_simulator_credential(partner_simulator, Partner.Code.SANAR_VIDEO, "Sanar video consultation")


class FakeSlots:
    """Stands in for ``sanar_video.slots``: returns ``slots`` or raises ``error``; records calls."""

    def __init__(self, slots=None, error=None):
        self.slots = day_slots("S-1000") if slots is None else slots
        self.error = error
        self.calls = []

    def __call__(self, credential, *, doctor_id, date):
        self.calls.append({"doctor_id": doctor_id, "date": date})
        if self.error is not None:
            raise self.error
        return sanar_video.DoctorSlots(doctor_id=doctor_id, date=date, doctor=None, slots=self.slots)


# --- walking the flow through its pages (against the simulator) ---


def free_slots(client, booking, day):
    html = client.get(url("video-slots", booking), {"date": day.isoformat()}).content.decode()
    return re.findall(
        r'name="slot_id" value="(S-\d+)" data-slot="[^"]+" class="slot(?: selected)? btn btn-outline-primary">', html
    )


def walk_to_confirm(client):
    """Speciality → doctor → slot → patient through the pages, as staff would."""
    client.post(reverse("bookings:video-start"))
    booking = Booking.objects.latest("pk")
    assert client.post(url("video-speciality", booking), {"speciality_id": "DP34"}).status_code == 302
    assert client.post(url("video-doctor", booking), {"doctor_id": "EMP86190"}).status_code == 302
    slot_id = free_slots(client, booking, tomorrow())[0]
    response = client.post(url("video-slot", booking), {"appointment_date": tomorrow().isoformat(), "slot_id": slot_id})
    assert response.url == url("video-patient", booking)
    patient = {
        "patient_name": "Sara Ali",
        "mobile": "0501234567",
        "email": "sara@example.org",
        "patient_gender": "Female",
        "patient_dob": "1990-05-17",
    }
    assert client.post(url("video-patient", booking), patient).url == url("video-confirm", booking)
    booking.refresh_from_db()
    return booking
