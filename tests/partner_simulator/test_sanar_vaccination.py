"""Sanar kids vaccination: services → details → browse → book, strict checks, slot taken."""

import pytest

from partner_simulator import demo_keys
from tests.partner_simulator.helpers import (
    JSON_HEADERS,
    browse_payload,
    day,
    sanar_post,
    status_of,
    vaccination_booking,
)

PRODUCT = {"prd_id": demo_keys.SANAR_PRODUCT_CODE}


def post(sim, endpoint, payload, **kwargs):
    return sanar_post(sim, "sanar_vaccination", endpoint, payload, **kwargs)


def providers(sim, **kwargs):
    response = post(sim, "browse", browse_payload(**kwargs), signed=True)
    assert status_of(response) == "1000", response.text
    return response.json()["data"]["info"]["providers"]


def test_services(partner_simulator):
    body = post(partner_simulator, "services", PRODUCT).json()
    assert body["status"] == "1000"
    services = {s["id"]: s for s in body["data"]["info"]["services"]}
    assert services["VAC-HEPB"] == {
        "id": "VAC-HEPB",
        "name": "Hepatitis B (birth dose)",
        "price": "120.00",
        "currency": "SAR",
        "age_group": "0-2 years",
    }
    assert [sid for sid, s in services.items() if "age_group" not in s] == ["VAC-CONS"]


def test_details(partner_simulator):
    body = post(partner_simulator, "details", {"id": "VAC-MMR", **PRODUCT}).json()
    assert body["status"] == 1000
    info = body["data"]["info"]
    assert info["id"] == "VAC-MMR"
    assert info["price"] == "150.00" and info["currency"] == "SAR"
    assert info["description"] and info["inclusions"] and info["instructions"]


@pytest.mark.parametrize(
    ("endpoint", "payload", "expected", "word"),
    [
        ("services", {}, "1001", "prd_id"),
        ("services", {"prd_id": "PRD-NOPE"}, "1004", "PRD-NOPE"),
        ("details", PRODUCT, "1001", "id"),
        ("details", {"id": "VAC-NOPE", **PRODUCT}, "1004", "VAC-NOPE"),
        ("details", {"id": "VAC-MMR", "prd_id": "PRD-NOPE"}, "1004", "PRD-NOPE"),
    ],
)
def test_catalogue_checks(partner_simulator, endpoint, payload, expected, word):
    response = post(partner_simulator, endpoint, payload)
    assert status_of(response) == expected
    assert word in response.json()["message"]


def test_catalogue_needs_json_content_type(partner_simulator):
    response = post(partner_simulator, "services", PRODUCT, headers={"Content-Type": "text/plain"})
    assert status_of(response) == "1001"


def test_browse_providers_near_each_city(partner_simulator):
    riyadh = providers(partner_simulator)
    assert [p["provider_id"] for p in riyadh] == ["PRV-RUH-01", "PRV-RUH-02"]
    assert riyadh[0]["distance_km"] <= riyadh[1]["distance_km"]
    first = riyadh[0]
    assert set(first) == {"provider_id", "name", "address", "distance_km", "slots"}
    assert first["slots"][0]["slot_id"].startswith("S-")
    jeddah = providers(partner_simulator, location={"lat": 21.4858, "lng": 39.1925, "city": "Jeddah"})
    assert {p["provider_id"] for p in jeddah} == {"PRV-JED-01", "PRV-JED-02"}
    dammam = providers(partner_simulator, location={"lat": 26.4207, "lng": 50.0888, "city": "Dammam"})
    assert {p["provider_id"] for p in dammam} == {"PRV-DMM-01", "PRV-DMM-02"}


def test_browse_keeps_providers_offering_every_service(partner_simulator):
    ids = [p["provider_id"] for p in providers(partner_simulator, services=("VAC-MMR", "VAC-DTAP"))]
    assert ids == ["PRV-RUH-01"]


@pytest.mark.parametrize(
    ("change", "expected", "word"),
    [
        ({"date": "tomorrow"}, "1001", "date"),
        ({"location": None}, "1001", "location"),
        ({"location": {"lat": "24.7", "lng": 46.6, "city": "Riyadh"}}, "1001", "location.lat"),
        ({"services": []}, "1001", "services"),
        ({"services": ["VAC-NOPE"]}, "1004", "VAC-NOPE"),
    ],
)
def test_browse_checks(partner_simulator, change, expected, word):
    payload = {k: v for k, v in {**browse_payload(), **change}.items() if v is not None}
    response = post(partner_simulator, "browse", payload, signed=True)
    assert status_of(response) == expected
    assert word in response.json()["message"]


def test_browse_and_book_are_signed(partner_simulator):
    payload = browse_payload()
    assert status_of(post(partner_simulator, "browse", payload, headers=JSON_HEADERS)) == "1002"
    wrong = {**JSON_HEADERS, "Authorization": demo_keys.SANAR_TOKEN, "Cmt": "f" * 64}
    assert status_of(post(partner_simulator, "browse", payload, headers=wrong)) == "1003"


def test_book_and_slot_becomes_taken(partner_simulator):
    provider = providers(partner_simulator)[0]
    slot = next(s for s in provider["slots"] if s["available"])
    payload = vaccination_booking(provider["provider_id"], slot, services=("VAC-MMR", "VAC-FLU"))
    body = post(partner_simulator, "book", payload, signed=True).json()
    assert body["status"] == "1000"
    info = body["data"]["info"]
    assert info["booking_id"].startswith("SNR-")
    assert info["payment_url"].startswith("https://pay.sanar.example/")
    assert (info["amount"], info["currency"]) == ("245.00", "SAR")
    assert partner_simulator.successful_creates("sanar_vaccination.book") == 1

    again = next(p for p in providers(partner_simulator) if p["provider_id"] == provider["provider_id"])
    assert next(s for s in again["slots"] if s["slot_id"] == slot["slot_id"])["available"] is False
    second = post(partner_simulator, "book", {**payload, "partner_reference": "PB-0101"}, signed=True)
    assert status_of(second) == "1005"
    assert partner_simulator.successful_creates("sanar_vaccination.book") == 1


@pytest.mark.parametrize(
    ("change", "expected", "word"),
    [
        ({"provider_id": "PRV-NOPE"}, "1004", "PRV-NOPE"),
        ({"services": ["VAC-DTAP"], "provider_id": "PRV-RUH-02"}, "1004", "VAC-DTAP"),
        ({"child": {"name": "Omar", "dob": "2022-01-09"}}, "1001", "child.gender"),
        ({"guardian": {"name": "Huda", "mobile": "+966501112233"}}, "1001", "guardian.email"),
        ({"partner_reference": ""}, "1001", "partner_reference"),
        ({"slot_id": "S-2300"}, "1004", "S-2300"),
    ],
)
def test_book_checks(partner_simulator, change, expected, word):
    provider = providers(partner_simulator)[0]
    slot = next(s for s in provider["slots"] if s["available"])
    payload = {**vaccination_booking(provider["provider_id"], slot), **change}
    response = post(partner_simulator, "book", payload, signed=True)
    assert status_of(response) == expected
    assert word in response.json()["message"]
    assert partner_simulator.successful_creates("sanar_vaccination.book") == 0


def test_book_outside_the_horizon(partner_simulator):
    payload = vaccination_booking("PRV-RUH-01", {"slot_id": "S-0800", "time": "08:00"}, date=day(45))
    assert status_of(post(partner_simulator, "book", payload, signed=True)) == "1005"
