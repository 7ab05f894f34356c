"""Sanar kids vaccination (CONTRACT.md §3): services → details → browse → book, all POST."""

import copy
from decimal import Decimal

from partner_simulator import data, demo_keys
from partner_simulator.protocol import FieldError, choice, email, iso_date, mobile, number, obj, text, text_list
from partner_simulator.sanar import NOT_FOUND, SLOT_TAKEN, SanarError, check_slot, endpoint, with_bookings

OPERATION_BOOK = "sanar_vaccination.book"
GENDERS = ("Male", "Female")


def _product(payload) -> str:
    prd_id = text(payload, "prd_id")
    if prd_id != demo_keys.SANAR_PRODUCT_CODE:
        raise SanarError(NOT_FOUND, f"Product {prd_id} not found")
    return prd_id


def _services(payload) -> list[str]:
    ids = text_list(payload, "services")
    unknown = [s for s in ids if s not in data.PRODUCT_SERVICES]
    if unknown:
        raise SanarError(NOT_FOUND, f"Service {unknown[0]} not found")
    return ids


def _location(payload) -> dict:
    location = obj(payload, "location")
    number(location, "lat", "location.")
    number(location, "lng", "location.")
    text(location, "city", "location.")
    return location


def _provider_slots(provider: dict, day, state) -> list[dict]:
    pid = provider["provider_id"]
    slots = data.schedule(pid, day, provider["first_hour"], state.today())
    return with_bookings(slots, ("vaccination", pid, day.isoformat()), state)


@endpoint(signed=False, status_as_str=True, message="services found")
def services(request, payload, state) -> dict:
    _product(payload)
    return {"services": [data.service_summary(sid) for sid in data.PRODUCT_SERVICES]}


@endpoint(signed=False, status_as_str=False, message="service details")
def details(request, payload, state) -> dict:
    service_id = text(payload, "id")
    _product(payload)
    if service_id not in data.PRODUCT_SERVICES:
        raise SanarError(NOT_FOUND, f"Service {service_id} not found")
    return data.service_details(service_id)


@endpoint(signed=True, status_as_str=False, message="providers found")
def browse(request, payload, state) -> dict:
    _product(payload)
    day = iso_date(payload, "date")
    location = _location(payload)
    wanted = set(_services(payload))
    city = location["city"].strip().lower()
    lat, lng = float(location["lat"]), float(location["lng"])
    providers = []
    for provider in data.PROVIDERS.values():
        distance = data.distance_km(lat, lng, provider["lat"], provider["lng"])
        in_area = provider["city"].lower() == city if city in data.CITY_CENTRES else distance <= data.NEARBY_KM
        if in_area and wanted <= provider["services"]:
            providers.append(
                {
                    "provider_id": provider["provider_id"],
                    "name": provider["name"],
                    "address": provider["address"],
                    "distance_km": round(distance, 1),
                    "slots": _provider_slots(provider, day, state),
                }
            )
    providers.sort(key=lambda p: p["distance_km"])
    return {"providers": providers}


@endpoint(signed=True, status_as_str=True, message="booking created")
def book(request, payload, state) -> dict:
    _product(payload)
    provider_id = text(payload, "provider_id")
    service_ids = _services(payload)
    day = iso_date(payload, "date")
    slot_id = text(payload, "slot_id")
    time = text(payload, "time")
    _location(payload)
    child = obj(payload, "child")
    text(child, "name", "child.")
    if iso_date(child, "dob", "child.") > state.today():
        raise FieldError("child.dob", "must not be in the future")
    choice(child, "gender", GENDERS, "child.")
    guardian = obj(payload, "guardian")
    text(guardian, "name", "guardian.")
    mobile(guardian, "mobile", "guardian.")
    email(guardian, "email", "guardian.")
    partner_reference = text(payload, "partner_reference")

    provider = data.PROVIDERS.get(provider_id)
    if provider is None:
        raise SanarError(NOT_FOUND, f"Provider {provider_id} not found")
    missing = [s for s in service_ids if s not in provider["services"]]
    if missing:
        raise SanarError(NOT_FOUND, f"Service {missing[0]} not offered by provider {provider_id}")
    key = ("vaccination", provider_id, day.isoformat(), slot_id)
    check_slot(_provider_slots(provider, day, state), slot_id, time, key, state)
    amount = f"{sum(Decimal(data.PRODUCT_SERVICES[s]['price']) for s in service_ids):.2f}"
    booking_id = state.take_slot(
        key,
        OPERATION_BOOK,
        "SNR",
        partner_reference=partner_reference,
        provider_id=provider_id,
        services=copy.deepcopy(service_ids),
        date=day.isoformat(),
        slot_id=slot_id,
        amount=amount,
        currency=data.CURRENCY,
    )
    if booking_id is None:  # taken by a concurrent call since the check
        raise SanarError(SLOT_TAKEN, f"Slot {slot_id} is no longer available")
    return {
        "booking_id": booking_id,
        "payment_url": f"https://pay.sanar.example/checkout/{booking_id}",
        "amount": amount,
        "currency": data.CURRENCY,
    }
