"""Sanar video consultation adapter: shapes pinned by fixtures, the product's own answers.

The outcomes every Sanar operation shares are in test_sanar_adapter_outcomes.py.
"""

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from partner_simulator import demo_keys
from partners.adapters import sanar_video
from partners.errors import BadResponse
from partners.models import UpstreamCall
from partners.money import Money
from partners.signing import canonical_json, cmt_signature
from tests.partners.sanar_adapter_cases import DATE, SANAR_VIDEO, video_booking
from tests.partners.test_client import envelope

BASE = SANAR_VIDEO.base_url
fixture = SANAR_VIDEO.fixture
mock = SANAR_VIDEO.mock


@pytest.fixture
def booking(sanar_video_credential):
    return video_booking(sanar_video_credential)


# --- success: the parsed results ---


def test_specialities(mock_http, sanar_video_credential):
    mock(mock_http, "specialities", json=fixture("specialities_response.json"))
    found = sanar_video.specialities(sanar_video_credential)
    assert [(s.id, s.name) for s in found] == [
        ("DP34", "Family Medicine"),
        ("DP12", "Pediatrics"),
        ("DP21", "Dermatology"),
    ]
    assert found[0].raw == {"id": "DP34", "name": "Family Medicine"}


def test_doctors(mock_http, sanar_video_credential):
    mock(mock_http, "doctors", json=fixture("doctors_response.json"))

    prince, noura, yousef = sanar_video.doctors(sanar_video_credential, spec_id="DP34")

    assert mock_http.calls[0].request.url == f"{BASE}/doctors?spec_id=DP34"
    assert prince.doctor_id == "EMP86190" and prince.name == "Dr. Prince George" and prince.title == "Dr."
    assert (prince.first_name, prince.last_name, prince.gender) == ("Prince", "George", "Male")
    assert prince.img == "https://cdn.sanar.example/doctors/EMP86190.jpg"
    assert prince.rating == 4.8 and prince.classification == "Consultant" and prince.sub_speciality == "General"
    assert prince.languages == ["Arabic", "English"]
    assert prince.experience == "10 years of experience" and prince.available_slot == "14:00"
    assert prince.price == Money(amount=Decimal("90"), currency="SAR")
    assert prince.license_number == "SCFHS-86190"
    assert prince.qualifications == ["MBBS", "Saudi Board of Family Medicine"]
    assert prince.raw["national_id"] == "10861900421"  # kept raw, not promoted
    assert noura.img is None  # an http:// image is not shown
    assert noura.rating == 4.6 and noura.price == Money(Decimal("90"), "SAR") and noura.languages == ["Arabic"]
    assert yousef.img is None and yousef.rating is None and yousef.price is None  # "price on request"


def test_doctors_accepts_a_single_object(mock_http, sanar_video_credential):
    doctor = fixture("doctors_response.json")["data"]["info"]["doctor"][0]
    mock(mock_http, "doctors", json=envelope(1000, "ok", {"doctor": doctor}))
    assert [d.doctor_id for d in sanar_video.doctors(sanar_video_credential, spec_id="DP34")] == ["EMP86190"]


def test_slots(mock_http, sanar_video_credential):
    mock(mock_http, "slots", json=fixture("slots_response.json"))

    result = sanar_video.slots(sanar_video_credential, doctor_id="EMP86190", date=DATE)

    assert (result.doctor_id, result.date) == ("EMP86190", DATE)
    assert result.doctor.name == "Dr. Prince George"
    assert [(s.slot_id, s.time, s.available) for s in result.slots] == [
        ("S-0900", "09:00", True),
        ("S-0930", "09:30", False),
        ("S-1000", "10:00", True),
    ]
    request = mock_http.calls[0].request
    assert request.url == f"{BASE}/slots?doctor_id=EMP86190&date=2026-04-28"
    signed = {"date": "2026-04-28", "doctor_id": "EMP86190"}
    assert request.headers["Cmt"] == cmt_signature(signed, secret=demo_keys.SANAR_CMT_SECRET)
    assert request.headers["Authorization"] == demo_keys.SANAR_TOKEN


def test_slots_without_doctor_details(mock_http, sanar_video_credential):
    mock(mock_http, "slots", json=envelope(1000, "ok", {"doctor_id": "EMP86190", "slots": []}))
    result = sanar_video.slots(sanar_video_credential, doctor_id="EMP86190", date=DATE)
    assert result.doctor is None and result.slots == [] and result.date == DATE


def test_book_sends_the_pinned_payload_and_reads_the_confirmation(mock_http, sanar_video_credential, booking):
    mock(mock_http, "book", json=fixture("book_response.json"))
    before = model_to_dict(booking)

    confirmation = sanar_video.book(sanar_video_credential, booking=booking)

    assert sanar_video.book_payload(booking) == fixture("book_request.json")
    request = mock_http.calls[0].request
    assert request.body == canonical_json(fixture("book_request.json")).encode()
    assert request.headers["Cmt"] == cmt_signature(fixture("book_request.json"), secret=demo_keys.SANAR_CMT_SECRET)
    assert confirmation.booking_id == "SNR-BK-100234"
    assert confirmation.payment_url == "https://pay.sanar.example/checkout/SNR-BK-100234"
    assert confirmation.amount == Money(Decimal("90"), "SAR")
    assert confirmation.raw == fixture("book_response.json")["data"]["info"]
    call = UpstreamCall.objects.get()
    assert call.booking == booking and call.operation == "book" and call.outcome == "ok"
    assert call.request_body["patient"]["email"] == "m***@example.org"
    booking.refresh_from_db()
    assert model_to_dict(booking) == before  # adapters never change a booking


# --- product answers (the outcomes every operation shares: test_sanar_adapter_outcomes.py) ---


def test_book_attempt_numbers_follow_the_caller(mock_http, sanar_video_credential, booking):
    mock(mock_http, "book", json=envelope(1003))
    mock(mock_http, "book", json=fixture("book_response.json"))
    sanar_video.book(sanar_video_credential, booking=booking, attempt=3)
    assert sorted(UpstreamCall.objects.values_list("attempt", flat=True)) == [3, 4]


@pytest.mark.parametrize(
    "payment_url",
    ["http://pay.sanar.example/checkout/1", "/checkout/1", "javascript:alert(1)", "", None, "pay.sanar.example/x"],
)
def test_book_with_a_payment_url_that_is_not_https_is_a_bad_response(
    mock_http, sanar_video_credential, booking, payment_url
):
    mock(mock_http, "book", json=envelope(1000, "ok", {"booking_id": "SNR-1", "payment_url": payment_url}))

    with pytest.raises(BadResponse) as excinfo:
        sanar_video.book(sanar_video_credential, booking=booking)

    assert excinfo.value.retry_safe is False
    assert excinfo.value.call.outcome == "bad_response"
    assert UpstreamCall.objects.count() == 1  # never re-sent


@pytest.mark.parametrize(
    "info", [{"payment_url": "https://pay.test/1"}, {"booking_id": "", "payment_url": "https://pay.test/1"}]
)
def test_book_without_a_booking_id_is_a_bad_response(mock_http, sanar_video_credential, booking, info):
    mock(mock_http, "book", json=envelope(1000, "ok", info))
    with pytest.raises(BadResponse):
        sanar_video.book(sanar_video_credential, booking=booking)


def test_book_with_an_unreadable_amount_keeps_the_booking(mock_http, sanar_video_credential, booking):
    info = {"booking_id": "SNR-1", "payment_url": "https://pay.test/1", "amount": "ninety riyals"}
    mock(mock_http, "book", json=envelope(1000, "ok", info))
    confirmation = sanar_video.book(sanar_video_credential, booking=booking)
    assert confirmation.amount is None and confirmation.raw["amount"] == "ninety riyals"
