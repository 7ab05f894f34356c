"""Helpers shared by the kids vaccination flow's tests (plain functions, no fixtures)."""

import datetime
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from partner_simulator import demo_keys
from partners.adapters import sanar_vaccination
from partners.models import Credential, Partner, VaccinationService
from tests.bookings.views.flow_support import day_slots, draft_through, sanar_simulator_credential, tomorrow, url


def born_years_ago(years: int, *, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


CHILD = {
    "patient_name": "Omar Saleh",
    "patient_dob": born_years_ago(3),
    "patient_gender": "Male",
    "guardian_name": "Huda Saleh",
    "mobile": "+966501234567",
    "email": "huda@example.org",
}
RIYADH = {"city": "Riyadh", "lat": 24.7136, "lng": 46.6753, "address": ""}


def simulator_credential(partner_simulator) -> Credential:
    """A kids vaccination credential on the simulator."""
    return sanar_simulator_credential(
        partner_simulator,
        Partner.Code.SANAR_VACCINATION,
        "Sanar kids vaccination",
        product_code=demo_keys.SANAR_PRODUCT_CODE,
    )


def make_catalogue(*, synced_at=None, product_code=demo_keys.SANAR_PRODUCT_CODE) -> None:
    """Five services of the demo product (one retired), as a sync from Sanar would store them."""
    synced_at = synced_at or timezone.now()
    rows = [
        ("VAC-HEPB", "Hepatitis B (birth dose)", "120.00", "0-2 years"),
        ("VAC-MMR", "MMR (measles, mumps, rubella)", "150.00", "1-6 years"),
        ("VAC-DTAP", "DTaP-IPV booster", "180.00", "4-6 years"),
        ("VAC-FLU", "Seasonal influenza", "95.00", "6 months-18 years"),
        ("VAC-CONS", "Vaccination record review", "60.00", ""),
    ]
    for service_id, name, price, age_group in rows:
        VaccinationService.objects.create(
            product_code=product_code,
            service_id=service_id,
            name=name,
            price_amount=Decimal(price),
            price_currency="SAR",
            age_group=age_group,
            description=f"About {name}.",
            inclusions=["Vaccine dose", "Nurse visit"],
            instructions=["Bring the child's vaccination card."],
            synced_at=synced_at,
            details_synced_at=synced_at,
        )
    VaccinationService.objects.create(
        product_code=product_code, service_id="VAC-OLD", name="Retired vaccine", synced_at=synced_at, is_active=False
    )


STAGES = {
    "services": {
        "service_ids": ["VAC-MMR", "VAC-FLU"],
        "service_names": ["MMR (measles, mumps, rubella)", "Seasonal influenza"],
        "amount": Decimal("245.00"),
        "currency": "SAR",
    },
    "where": {"location": RIYADH},
    "slot": lambda: {
        "appointment_date": tomorrow(),
        "provider_id": "PRV-RUH-01",
        "provider_name": "Olaya Kids Clinic",
        "slot_id": "S-0930",
        "appointment_time": "09:30",
    },
    "child": CHILD,
}


def vaccination_draft(user, *, through: str | None = None, **fields) -> Booking:
    """A draft booking with every step up to ``through`` done (None: just started)."""
    return draft_through(Partner.Code.SANAR_VACCINATION, STAGES, user, through=through, **fields)


def provider(provider_id="PRV-RUH-01", name="Olaya Kids Clinic", *, taken=("S-1000",), distance_km=2.1):
    return sanar_vaccination.Provider(
        provider_id=provider_id,
        name=name,
        address=f"{name} St, Riyadh",
        distance_km=distance_km,
        slots=day_slots(*taken),
    )


def raising(error):
    """An adapter function that fails with ``error`` (a partner answer or failure)."""

    def fake(*args, **kwargs):
        raise error

    return fake


class FakeBrowse:
    """Stands in for ``sanar_vaccination.browse``: returns ``providers`` or raises ``error``; records calls."""

    def __init__(self, providers=None, error=None):
        self.providers = (
            [provider(), provider("PRV-RUH-02", "Malqa Family Vaccination Centre", taken=(), distance_km=12.4)]
            if providers is None
            else providers
        )
        self.error = error
        self.calls = []

    def __call__(self, credential, *, date, location, service_ids):
        self.calls.append({"date": date, "location": location, "service_ids": list(service_ids)})
        if self.error is not None:
            raise self.error
        return self.providers


# --- walking the flow through its pages (against the simulator) ---


def free_slots(client, booking, day) -> list[tuple[str, str]]:
    """(provider id, slot id) of every free slot the slots fragment offers that day."""
    html = client.get(url("vaccination-slots", booking), {"date": day.isoformat()}).content.decode()
    found = []
    for group in html.split('<form method="post"')[1:]:
        provider_id = re.search(r'name="provider_id" value="([^"]+)"', group).group(1)
        found += [
            (provider_id, slot)
            for slot in re.findall(
                r'name="slot_id" value="(S-\d+)" data-slot="[^"]+" class="slot(?: selected)? btn btn-outline-primary">',
                group,
            )
        ]
    return found


def walk_to_confirm(client, *, services=("VAC-MMR", "VAC-FLU")):
    """Services → details → where → provider slot → child through the pages, as staff would."""
    client.post(reverse("bookings:vaccination-start"))
    booking = Booking.objects.latest("pk")
    assert client.post(url("vaccination-services", booking), {"service_ids": list(services)}).status_code == 302
    assert client.get(url("vaccination-details", booking)).status_code == 200
    where = {"appointment_date": tomorrow().isoformat(), "city": "Riyadh", "address": "", "lat": "", "lng": ""}
    assert client.post(url("vaccination-where", booking), where).url == url("vaccination-slot", booking)
    provider_id, slot_id = free_slots(client, booking, tomorrow())[0]
    chosen = {"appointment_date": tomorrow().isoformat(), "provider_id": provider_id, "slot_id": slot_id}
    assert client.post(url("vaccination-slot", booking), chosen).url == url("vaccination-child", booking)
    child = {**CHILD, "mobile": "0501234567", "patient_dob": CHILD["patient_dob"].isoformat()}
    assert client.post(url("vaccination-child", booking), child).url == url("vaccination-confirm", booking)
    booking.refresh_from_db()
    return booking
