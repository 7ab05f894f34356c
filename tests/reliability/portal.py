"""Bookings as staff would make them (valid demo data the simulator accepts), and the checks
every booking must pass once the worker is done with it."""

import datetime
import itertools
import time
from dataclasses import dataclass, field

from bookings.models import Booking
from bookings.services.drafts import booking_create_draft, booking_update_selection
from bookings.services.submission import booking_submit
from bookings.states import Status
from partner_simulator import data, demo_keys
from partners.models import Credential, Partner
from tests.reliability.faults import FaultRouter, Row, expected_call

UNSETTLED = (Status.DRAFT, Status.QUEUED, Status.SUBMITTING)
VACCINE = "VAC-FLU"  # offered by every demo provider


def free_slots(today: datetime.date):
    """Every free video and vaccination slot of the demo data, days 1-28 ahead, round robin."""
    days = [today + datetime.timedelta(days=n) for n in range(1, 29)]

    def video():
        for day, doctor in itertools.product(days, data.DOCTORS.values()):
            for slot in data.schedule(doctor["doctor_id"], day, data.DOCTOR_FIRST_HOUR[doctor["doctor_id"]], today):
                if slot["available"]:
                    yield day, doctor, slot

    def vaccination():
        for day, provider in itertools.product(days, data.PROVIDERS.values()):
            if VACCINE not in provider["services"]:
                continue
            for slot in data.schedule(provider["provider_id"], day, provider["first_hour"], today):
                if slot["available"]:
                    yield day, provider, slot

    return {Partner.Code.SANAR_VIDEO: video(), Partner.Code.SANAR_VACCINATION: vaccination()}


def selection(partner_code: str, slots, number: int) -> dict:
    """What staff pick and type for one booking; every value is one the simulator accepts."""
    contact = {"mobile": f"+9665{number % 100_000_000:08d}", "email": f"guardian.{number}@example.org"}
    if partner_code == Partner.Code.SANAR_VIDEO:
        day, doctor, slot = next(slots[partner_code])
        return {
            "speciality_id": doctor["spec_id"],
            "speciality_name": doctor["speciality"],
            "doctor_id": doctor["doctor_id"],
            "doctor_name": doctor["name"],
            "appointment_date": day,
            "slot_id": slot["slot_id"],
            "appointment_time": slot["time"],
            "patient_name": f"سارة العلي {number}",
            "patient_gender": "Female",
            "patient_dob": datetime.date(1990, 1, 2),
            **contact,
        }
    if partner_code == Partner.Code.SANAR_VACCINATION:
        day, provider, slot = next(slots[partner_code])
        return {
            "service_ids": [VACCINE],
            "service_names": ["Seasonal influenza"],
            "provider_id": provider["provider_id"],
            "provider_name": provider["name"],
            "appointment_date": day,
            "slot_id": slot["slot_id"],
            "appointment_time": slot["time"],
            "location": {"city": provider["city"], "lat": provider["lat"], "lng": provider["lng"]},
            "patient_name": f"Omar Saleh {number}",
            "patient_dob": datetime.date(2021, 3, 4),
            "patient_gender": "Male",
            "guardian_name": f"Huda Saleh {number}",
            **contact,
        }
    return {
        "program_id": "1002",
        "sandicare_service": "general_medicine",
        "email": "patient@example.org",
        "patient_dob": datetime.date(1990, 5, 17),
    }


@dataclass
class Case:
    """One booking of a run: its fault row, what staff entered, and the booking itself."""

    row: Row
    partner_code: str
    entered: dict
    booking: Booking
    problems: list[str] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return self.booking.reference


class Portal:
    """The three partners on one partner simulator, a staff user, and bookings with fault plans."""

    def __init__(self, simulator, user):
        self.simulator = simulator
        self.router = FaultRouter(simulator)
        self.user = user
        self.slots = free_slots(simulator.state.today())
        self.numbers = itertools.count(1)
        self.credentials = {}
        for code, vendor, name in (
            (Partner.Code.SANAR_VIDEO, Partner.Vendor.SANAR, "Sanar video consultation"),
            (Partner.Code.SANAR_VACCINATION, Partner.Vendor.SANAR, "Sanar kids vaccination"),
            (Partner.Code.SANDICARE, Partner.Vendor.SANDICARE, "Sandicare teleconsult enrollment"),
        ):
            partner, _ = Partner.objects.get_or_create(code=code, defaults={"vendor": vendor, "name": name})
            self.credentials[code] = self._credential(partner)

    def _credential(self, partner) -> Credential:
        if partner.code == Partner.Code.SANDICARE:
            secrets = {"api_key": demo_keys.SANDICARE_SANDBOX_KEY, "program_ids": "1001,1002"}
        else:
            secrets = {"auth_token": demo_keys.SANAR_TOKEN, "cmt_secret": demo_keys.SANAR_CMT_SECRET}
            if partner.code == Partner.Code.SANAR_VACCINATION:
                secrets["product_code"] = demo_keys.SANAR_PRODUCT_CODE
        return Credential.objects.create(
            partner=partner,
            environment=Credential.Environment.SANDBOX,
            base_url=self.simulator.base_url(partner.code),
            **secrets,
        )

    def point_at(self, port: int | None) -> None:
        """Every credential's base URL on another loopback port (None: back to the simulator)."""
        for code, credential in self.credentials.items():
            url = self.simulator.base_url(code)
            if port is not None:
                url = url.replace(f":{self.simulator.port}/", f":{port}/", 1)
            Credential.objects.filter(pk=credential.pk).update(base_url=url)

    def draft(self, partner_code: str, row: Row) -> Case:
        number = next(self.numbers)
        booking = booking_create_draft(partner_code=partner_code, actor=self.user)
        entered = selection(partner_code, self.slots, number)
        if partner_code == Partner.Code.SANDICARE:
            entered["consultation_reason"] = f"Fever and sore throat since Monday ({booking.reference})"
        booking = booking_update_selection(booking_id=booking.pk, actor=self.user, **entered)
        self.router.plan(booking.reference, row.plan(partner_code))
        return Case(row=row, partner_code=partner_code, entered=entered, booking=booking)

    def submit(self, case: Case) -> None:
        # Many enrollments of the demo patient on one day: each one a confirmed repeat.
        booking_submit(booking_id=case.booking.pk, actor=self.user, repeat_confirmed=True)  # enqueued on commit

    def settle(self, cases: list[Case], timeout: float) -> list[Case]:
        """Wait until no booking is queued or being sent; return those still unsettled."""
        pending = {case.booking.pk for case in cases}
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            settled = Booking.objects.filter(pk__in=pending).exclude(status__in=UNSETTLED).values_list("pk", flat=True)
            pending -= set(settled)
            if pending:
                time.sleep(0.2)
        for case in cases:
            case.booking.refresh_from_db()
        return [case for case in cases if case.booking.pk in pending]

    def check(self, case: Case, *, credential_health: bool = True) -> list[str]:
        """Everything CONTRACT.md §5 promises about one booking, as a list of broken promises.

        ``credential_health=False`` when bookings of other rows ran at the same time: their
        successes clear the credential's failing flag (as they should).
        """
        booking, row, code = case.booking, case.row, case.partner_code
        problems = []
        if booking.status in UNSETTLED:
            problems.append(f"lost: still {booking.status}")
        elif booking.status != row.end_status(code):
            problems.append(f"undefined state: {booking.status}, expected {row.end_status(code)}")
        creates = self.router.creates[case.reference]
        if creates > 1:
            problems.append(f"duplicate: {creates} upstream creates")
        elif creates != row.creates:
            problems.append(f"creates: {creates}, expected {row.creates}")
        problems += self._check_attempts(case)
        problems += self._check_answer(case)
        changed = {name for name, value in case.entered.items() if getattr(booking, name) != value}
        if changed:
            problems.append(f"entered data lost: {sorted(changed)}")
        last_event = booking.events.order_by("-created_at", "-id").first()
        if last_event is None or last_event.to_status != booking.status:
            problems.append("history does not end in the booking's status")
        if (
            credential_health
            and row.credential_failing
            and not Credential.objects.get(pk=self.credentials[code].pk).is_failing
        ):
            problems.append("credential not flagged as failing")
        case.problems = problems
        return problems

    @staticmethod
    def _check_answer(case: Case) -> list[str]:
        """A link is stored only from a success, and only https; staff always see why it stopped."""
        booking = case.booking
        if booking.status in (Status.AWAITING_PAYMENT, Status.ENROLLED):
            if not booking.handoff_url.startswith("https://") or booking.partner_message:
                return [f"booked without an https link: {booking.handoff_url!r}"]
            if booking.status == Status.AWAITING_PAYMENT and not booking.upstream_booking_id:
                return ["booked without the partner's booking id"]
            return []
        problems = []
        if booking.handoff_url or booking.upstream_booking_id:
            problems.append(f"{booking.status} but stores a link / partner id: {booking.handoff_url!r}")
        if booking.status not in UNSETTLED and not booking.partner_message:
            problems.append(f"{booking.status} without a message for staff")
        return problems

    def _check_attempts(self, case: Case) -> list[str]:
        calls = list(case.booking.upstream_calls.order_by("created_at", "id"))
        outcomes = tuple(call.outcome for call in calls)
        if outcomes != case.row.outcomes:
            return [f"attempts stored: {list(outcomes)}, expected {list(case.row.outcomes)}"]
        problems = []
        if [call.attempt for call in calls] != list(range(1, len(calls) + 1)):
            problems.append(f"attempt numbers: {[call.attempt for call in calls]}")
        plan = case.row.plan(case.partner_code)
        for index, call in enumerate(calls):
            http_status, body_status = expected_call(
                case.partner_code, plan.fault_for_call(index), connection=case.row.connection
            )
            if call.http_status != http_status or (body_status is not None and call.body_status != body_status):
                problems.append(
                    f"attempt {index + 1} stored as HTTP {call.http_status} / body {call.body_status!r}, "
                    f"expected HTTP {http_status} / body {body_status!r}"
                )
        return problems
