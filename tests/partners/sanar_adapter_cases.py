"""The two Sanar adapters as their tests call them: each operation's request, call and sample answer.

The contract outcomes every Sanar operation shares (status as integer or string, every fault,
Cmt re-signing) are tested once per adapter in test_sanar_adapter_outcomes.py; what one
product's answers hold is tested in its own module.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bookings.models import Booking
from partners.adapters import sanar_vaccination, sanar_video
from partners.adapters.sanar_vaccination import Location
from partners.models import Credential
from tests.partner_fixtures import partner_fixture

DATE = datetime.date(2026, 4, 28)
RIYADH = Location(city="Riyadh", lat=24.7136, lng=46.6753)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    call: Callable[[Credential, Booking | None], Any]
    answer: str  # the sample answer of success
    signed: str | dict | None = None  # what the Cmt signs: a sample request, or the GET's query as a dict


@dataclass(frozen=True)
class SanarAdapter:
    name: str  # its fixture folder and the prefix of its simulator operations
    base_url: str
    credential_fixture: str
    operations: dict[str, Operation]
    make_booking: Callable[[Credential], Booking]

    def fixture(self, file_name: str) -> Any:
        return partner_fixture(self.name, file_name)

    def mock(self, mock_http, operation: str, **answer) -> None:
        spec = self.operations[operation]
        mock_http.add(spec.method, self.base_url + spec.path, **answer)

    def run(self, operation: str, credential: Credential, booking: Booking | None) -> Any:
        return self.operations[operation].call(credential, booking)

    def success_body(self, operation: str, status: int | str) -> dict:
        body = self.fixture(self.operations[operation].answer)
        body["status"] = status
        return body

    def signed_payload(self, operation: str) -> dict:
        signed = self.operations[operation].signed
        return self.fixture(signed) if isinstance(signed, str) else dict(signed or {})

    @property
    def signed(self) -> list[str]:
        return [name for name, spec in self.operations.items() if spec.signed]

    @property
    def unsigned(self) -> list[str]:
        return [name for name, spec in self.operations.items() if not spec.signed]

    def __str__(self) -> str:
        return self.name


def video_booking(credential: Credential) -> Booking:
    return Booking.objects.create(
        partner=credential.partner,
        reference="BK-TEST-0001",
        patient_name="Mohammed Al-Otaibi",
        patient_dob=datetime.date(1990, 5, 17),
        patient_gender="Male",
        mobile="+966501234567",
        email="mohammed.otaibi@example.org",
        speciality_id="DP34",
        doctor_id="EMP86190",
        slot_id="S-0900",
        appointment_date=DATE,
        appointment_time="09:00",
    )


def vaccination_booking(credential: Credential) -> Booking:
    return Booking.objects.create(
        partner=credential.partner,
        reference="BK-TEST-0002",
        patient_name="ليان العتيبي",
        patient_dob=datetime.date(2024, 2, 10),
        patient_gender="Female",
        guardian_name="Mohammed Al-Otaibi",
        mobile="+966501234567",
        email="mohammed.otaibi@example.org",
        service_ids=["VAC-HEPB", "VAC-MMR"],
        provider_id="PRV-RUH-01",
        slot_id="S-0900",
        appointment_date=DATE,
        appointment_time="09:00",
        location={"city": "Riyadh", "lat": 24.7136, "lng": 46.6753, "address": "Al Malqa, Street 12, House 4"},
    )


def browse(credential: Credential) -> list[sanar_vaccination.Provider]:
    return sanar_vaccination.browse(credential, date=DATE, location=RIYADH, service_ids=["VAC-HEPB", "VAC-MMR"])


SANAR_VIDEO = SanarAdapter(
    name="sanar_video",
    base_url="https://sanar.test/v1",
    credential_fixture="sanar_video_credential",
    operations={
        "specialities": Operation(
            "GET", "/specialities", lambda c, b: sanar_video.specialities(c), "specialities_response.json"
        ),
        "doctors": Operation(
            "GET", "/doctors", lambda c, b: sanar_video.doctors(c, spec_id="DP34"), "doctors_response.json"
        ),
        "slots": Operation(
            "GET",
            "/slots",
            lambda c, b: sanar_video.slots(c, doctor_id="EMP86190", date=DATE),
            "slots_response.json",
            signed={"date": "2026-04-28", "doctor_id": "EMP86190"},
        ),
        "book": Operation(
            "POST",
            "/book",
            lambda c, b: sanar_video.book(c, booking=b),
            "book_response.json",
            signed="book_request.json",
        ),
    },
    make_booking=video_booking,
)

# Every vaccination call is a POST.
SANAR_VACCINATION = SanarAdapter(
    name="sanar_vaccination",
    base_url="https://sanar-kids.test/v1",
    credential_fixture="sanar_vaccination_credential",
    operations={
        "services": Operation(
            "POST", "/services", lambda c, b: sanar_vaccination.services(c), "services_response.json"
        ),
        "details": Operation(
            "POST", "/details", lambda c, b: sanar_vaccination.details(c, service_id="VAC-MMR"), "details_response.json"
        ),
        "browse": Operation(
            "POST", "/browse", lambda c, b: browse(c), "browse_response.json", signed="browse_request.json"
        ),
        "book": Operation(
            "POST",
            "/book",
            lambda c, b: sanar_vaccination.book(c, booking=b),
            "book_response.json",
            signed="book_request.json",
        ),
    },
    make_booking=vaccination_booking,
)

SANAR_ADAPTERS = [SANAR_VIDEO, SANAR_VACCINATION]
