"""Sanar kids vaccination adapter: shapes pinned by fixtures, the product's own answers.

The outcomes every Sanar operation shares are in test_sanar_adapter_outcomes.py.
"""

import json
from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from partner_simulator import demo_keys
from partners.adapters import sanar_vaccination
from partners.adapters.sanar_vaccination import Location
from partners.errors import BadResponse
from partners.models import UpstreamCall
from partners.money import Money
from partners.signing import canonical_json, cmt_signature
from tests.partners.sanar_adapter_cases import DATE, SANAR_VACCINATION, browse, vaccination_booking
from tests.partners.test_client import envelope

BASE = SANAR_VACCINATION.base_url
fixture = SANAR_VACCINATION.fixture
mock = SANAR_VACCINATION.mock


@pytest.fixture
def booking(sanar_vaccination_credential):
    return vaccination_booking(sanar_vaccination_credential)


def sent_json(call):
    return json.loads(call.request.body)


# --- success: the parsed results ---


def test_services(mock_http, sanar_vaccination_credential):
    mock(mock_http, "services", json=fixture("services_response.json"))

    hepb, mmr, consultation = sanar_vaccination.services(sanar_vaccination_credential)

    assert sent_json(mock_http.calls[0]) == {"prd_id": demo_keys.SANAR_PRODUCT_CODE}
    assert (hepb.id, hepb.name, hepb.age_group) == ("VAC-HEPB", "Hepatitis B", "0-6 months")
    assert hepb.price == Money(Decimal("150"), "SAR")
    assert mmr.price == Money(Decimal("220.50"), "SAR")
    assert consultation.price is None and consultation.age_group == ""  # "free" is not a price we guess


def test_details(mock_http, sanar_vaccination_credential):
    mock(mock_http, "details", json=fixture("details_response.json"))

    details = sanar_vaccination.details(sanar_vaccination_credential, service_id="VAC-MMR")

    assert sent_json(mock_http.calls[0]) == {"id": "VAC-MMR", "prd_id": demo_keys.SANAR_PRODUCT_CODE}
    assert (details.id, details.name) == ("VAC-MMR", "MMR")
    assert details.description == "Measles, mumps and rubella vaccine."
    assert details.inclusions == ["Vaccine dose", "Nurse visit"]
    assert details.instructions == ["Bring the vaccination card", "No fever in the last 48 hours"]
    assert details.price == Money(Decimal("220.50"), "SAR")


def test_browse(mock_http, sanar_vaccination_credential):
    mock(mock_http, "browse", json=fixture("browse_response.json"))

    first, second = browse(sanar_vaccination_credential)

    request = mock_http.calls[0].request
    assert sent_json(mock_http.calls[0]) == fixture("browse_request.json")
    assert request.headers["Cmt"] == cmt_signature(fixture("browse_request.json"), secret=demo_keys.SANAR_CMT_SECRET)
    assert request.headers["Authorization"] == demo_keys.SANAR_TOKEN
    assert (first.provider_id, first.name, first.address, first.distance_km) == (
        "PRV-RUH-01",
        "Sanar Home Care Riyadh",
        "King Fahd Rd, Riyadh",
        3.2,
    )
    assert [(s.slot_id, s.time, s.available) for s in first.slots] == [
        ("S-0900", "09:00", True),
        ("S-0930", "09:30", False),
    ]
    assert second.distance_km == 7.5 and second.slots == []


def test_browse_without_coordinates_sends_the_city_only(mock_http, sanar_vaccination_credential):
    mock(mock_http, "browse", json=envelope(1000, "ok", {"providers": []}))
    sanar_vaccination.browse(
        sanar_vaccination_credential, date=DATE, location=Location(city="Jeddah", lat=None, lng=None), service_ids=[]
    )
    assert sent_json(mock_http.calls[0])["location"] == {"city": "Jeddah"}


def test_book_sends_the_pinned_payload_and_reads_the_confirmation(mock_http, sanar_vaccination_credential, booking):
    mock(mock_http, "book", json=fixture("book_response.json"))
    before = model_to_dict(booking)

    confirmation = sanar_vaccination.book(sanar_vaccination_credential, booking=booking)

    expected = fixture("book_request.json")
    assert sanar_vaccination.book_payload(booking, product_code=demo_keys.SANAR_PRODUCT_CODE) == expected
    request = mock_http.calls[0].request
    assert request.body == canonical_json(expected).encode()
    assert request.headers["Cmt"] == cmt_signature(expected, secret=demo_keys.SANAR_CMT_SECRET)
    assert confirmation.booking_id == "SNR-VAC-55012"
    assert confirmation.payment_url == "https://pay.sanar.example/checkout/SNR-VAC-55012"
    assert confirmation.amount == Money(Decimal("370.50"), "SAR")
    call = UpstreamCall.objects.get()
    assert call.booking == booking
    assert call.request_body["child"] == {"name": "ل***", "dob": "****-**-**", "gender": "Female"}
    assert call.request_body["guardian"]["mobile"] == "+9665******67"
    booking.refresh_from_db()
    assert model_to_dict(booking) == before


def test_book_amount_in_one_string_is_read_too(mock_http, sanar_vaccination_credential, booking):
    info = {"booking_id": "SNR-1", "payment_url": "https://pay.test/1", "amount": "SAR 370.50"}
    mock(mock_http, "book", json=envelope(1000, "ok", info))
    assert sanar_vaccination.book(sanar_vaccination_credential, booking=booking).amount == Money(
        Decimal("370.50"), "SAR"
    )


# --- product answers (the outcomes every operation shares: test_sanar_adapter_outcomes.py) ---


@pytest.mark.parametrize("payment_url", ["http://pay.sanar.example/1", "//pay.sanar.example/1", "", None])
def test_book_with_a_payment_url_that_is_not_https_is_a_bad_response(
    mock_http, sanar_vaccination_credential, booking, payment_url
):
    info = {"booking_id": "SNR-1", "payment_url": payment_url, "amount": "90", "currency": "SAR"}
    mock(mock_http, "book", json=envelope(1000, "ok", info))

    with pytest.raises(BadResponse) as excinfo:
        sanar_vaccination.book(sanar_vaccination_credential, booking=booking)

    assert excinfo.value.call.outcome == "bad_response" and excinfo.value.retry_safe is False


def test_details_without_an_id_is_a_bad_response(mock_http, sanar_vaccination_credential):
    mock(mock_http, "details", json=envelope(1000, "ok", {"name": "MMR"}))
    with pytest.raises(BadResponse):
        sanar_vaccination.details(sanar_vaccination_credential, service_id="VAC-MMR")
