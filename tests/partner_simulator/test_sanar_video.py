"""Sanar video consultation: happy path, strict checks, slot taken after booking."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from partner_simulator import data, demo_keys
from tests.partner_simulator.helpers import (
    JSON_HEADERS,
    book_video,
    day,
    free_video_slot,
    sign,
    status_of,
    video_booking,
    video_get,
    video_slots,
)

DOCTOR_FIELDS = {
    "doctor_id", "spec_id", "speciality", "rating", "classification", "first_name", "last_name", "img", "gender",
    "title", "available_slot", "lang_spoken", "sub_speciality", "name", "license_number", "national_id",
    "qualifications", "pay_amount", "total_experience",
}  # fmt: skip


def test_specialities(partner_simulator):
    response = video_get(partner_simulator, "specialities", {})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == 1000  # an integer here
    assert isinstance(body["message"], str)
    specialities = body["data"]["info"]["specialities"]
    assert {"id": "DP34", "name": "Family Medicine"} in specialities
    assert len(specialities) >= 4


def test_doctors_of_a_speciality_have_every_documented_field(partner_simulator):
    response = video_get(partner_simulator, "doctors", {"spec_id": "DP34"})
    body = response.json()
    assert body["status"] == "1000"  # a string here
    doctors = body["data"]["info"]["doctor"]
    assert {d["doctor_id"] for d in doctors} == {"EMP86190", "EMP86205"}
    for doctor in doctors:
        assert set(doctor) == DOCTOR_FIELDS
        assert isinstance(doctor["rating"], float)
        assert isinstance(doctor["qualifications"], list)
        assert doctor["img"].startswith("https://")
    prince = next(d for d in doctors if d["doctor_id"] == "EMP86190")
    assert prince["name"] == "Dr. Prince George"
    assert prince["pay_amount"] == "SAR 90"


def test_one_doctor_has_no_img(partner_simulator):
    doctors = video_get(partner_simulator, "doctors", {"spec_id": "DP21"}).json()["data"]["info"]["doctor"]
    assert [d["doctor_id"] for d in doctors if not d["img"]] == ["EMP86240"]


def test_catalogue_accepts_extra_headers_but_not_a_missing_content_type(partner_simulator):
    extra = {**JSON_HEADERS, "Authorization": "anything", "X-Request-Id": "abc"}
    assert status_of(video_get(partner_simulator, "doctors", {"spec_id": "DP34"}, headers=extra)) == "1000"
    response = video_get(partner_simulator, "doctors", {"spec_id": "DP34"}, headers={})
    assert status_of(response) == "1001"
    assert "Content-Type" in response.json()["message"]


def test_doctors_strict_checks(partner_simulator):
    missing = video_get(partner_simulator, "doctors", {})
    assert status_of(missing) == "1001"
    assert "spec_id" in missing.json()["message"]
    assert status_of(video_get(partner_simulator, "doctors", {"spec_id": "DP99"})) == "1004"


def test_slots_for_the_next_30_days(partner_simulator):
    params = {"doctor_id": "EMP86190", "date": day(3)}
    body = video_get(partner_simulator, "slots", params, signed=True).json()
    assert body["status"] == "1000"
    info = body["data"]["info"]
    assert list(info)[0] == "doctor_id"
    assert info["doctor_id"] == "EMP86190"
    assert info["date"] == params["date"]
    assert set(info["doctor"]) == DOCTOR_FIELDS
    slots = info["slots"]
    assert slots[0] == {"slot_id": "S-0900", "time": "09:00", "available": slots[0]["available"]}
    assert len(slots) == data.SLOTS_PER_DAY
    assert video_slots(partner_simulator, date=day(29))
    assert video_slots(partner_simulator, date=day(30)) == []


def test_slot_availability_is_deterministic_and_mixed(partner_simulator):
    seen = [s["available"] for offset in range(0, 30, 3) for s in video_slots(partner_simulator, date=day(offset))]
    assert True in seen and False in seen
    assert video_slots(partner_simulator, date=day(5)) == video_slots(partner_simulator, date=day(5))


@pytest.mark.parametrize(
    ("headers_change", "expected"),
    [
        ({"Authorization": None}, "1002"),
        ({"Authorization": "wrong-token"}, "1002"),
        ({"Authorization": "Bearer " + demo_keys.SANAR_TOKEN}, "1002"),
        ({"Cmt": None}, "1003"),
        ({"Cmt": "0" * 64}, "1003"),
        ({"Content-Type": None}, "1001"),
        ({"Content-Type": "text/plain"}, "1001"),
    ],
)
def test_slots_header_checks(partner_simulator, headers_change, expected):
    params = {"doctor_id": "EMP86190", "date": day()}
    headers = {**JSON_HEADERS, "Authorization": demo_keys.SANAR_TOKEN, "Cmt": sign(params), **headers_change}
    headers = {k: v for k, v in headers.items() if v is not None}
    assert status_of(video_get(partner_simulator, "slots", params, headers=headers)) == expected


def test_slots_signature_covers_the_query(partner_simulator):
    params = {"doctor_id": "EMP86190", "date": day()}
    headers = {**JSON_HEADERS, "Authorization": demo_keys.SANAR_TOKEN, "Cmt": sign({**params, "date": day(2)})}
    assert status_of(video_get(partner_simulator, "slots", params, headers=headers)) == "1003"


@pytest.mark.parametrize(
    ("params", "expected", "field"),
    [
        ({"doctor_id": "EMP86190"}, "1001", "date"),
        ({"date": day()}, "1001", "doctor_id"),
        ({"doctor_id": "EMP86190", "date": "28/04/2026"}, "1001", "date"),
        ({"doctor_id": "EMP86190", "date": "2026-02-30"}, "1001", "date"),
        ({"doctor_id": "EMP00000", "date": day()}, "1004", "EMP00000"),
    ],
)
def test_slots_field_checks(partner_simulator, params, expected, field):
    response = video_get(partner_simulator, "slots", params, signed=True)
    assert status_of(response) == expected
    assert field in response.json()["message"]


def test_book_returns_booking_and_payment_url_and_takes_the_slot(partner_simulator):
    slot = free_video_slot(partner_simulator)
    response = book_video(partner_simulator, video_booking(slot, reference="PB-1"))
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == 1000
    info = body["data"]["info"]
    assert info["booking_id"].startswith("SNR-")
    assert info["payment_url"].startswith("https://pay.sanar.example/")
    assert info["amount"] == "SAR 90"
    assert partner_simulator.successful_creates("sanar_video.book") == 1
    assert partner_simulator.creates("sanar_video.book")[0]["partner_reference"] == "PB-1"

    taken = next(s for s in video_slots(partner_simulator) if s["slot_id"] == slot["slot_id"])
    assert taken["available"] is False
    again = book_video(partner_simulator, video_booking(slot, reference="PB-2"))
    assert status_of(again) == "1005"
    same_reference = book_video(partner_simulator, video_booking(slot, reference="PB-1"))
    assert status_of(same_reference) == "1005"
    assert partner_simulator.successful_creates("sanar_video.book") == 1


def test_booking_ids_are_unique(partner_simulator):
    slots = [s for s in video_slots(partner_simulator, date=day(2)) if s["available"]][:2]
    ids = {
        book_video(partner_simulator, video_booking(s, date=day(2), reference=f"PB-{i}")).json()["data"]["info"][
            "booking_id"
        ]
        for i, s in enumerate(slots)
    }
    assert len(ids) == 2


def test_book_an_unavailable_slot(partner_simulator):
    for offset in range(1, 30):
        closed = [s for s in video_slots(partner_simulator, date=day(offset)) if not s["available"]]
        if closed:
            response = book_video(partner_simulator, video_booking(closed[0], date=day(offset)))
            assert status_of(response) == "1005"
            return
    pytest.fail("no unavailable slot in the horizon")


@pytest.mark.parametrize(
    ("change", "expected", "field"),
    [
        ({"doctor_id": None}, "1001", "doctor_id"),
        ({"partner_reference": None}, "1001", "partner_reference"),
        ({"date": "2026/04/28"}, "1001", "date"),
        ({"patient": None}, "1001", "patient"),
        ({"patient": {"name": "A", "mobile": "+966512345678", "email": "a@example.org", "gender": "Female"}}, "1001", "patient.dob"),
        ({"patient": {"name": "A", "mobile": "0512", "email": "a@example.org", "gender": "F", "dob": "1990-01-01"}}, "1001", "patient.mobile"),
        ({"time": "23:59"}, "1001", "time"),
        ({"doctor_id": "EMP00000"}, "1004", "EMP00000"),
        ({"spec_id": "DP12"}, "1004", "DP12"),
        ({"slot_id": "S-0000"}, "1004", "S-0000"),
    ],
)  # fmt: skip
def test_book_field_checks(partner_simulator, change, expected, field):
    payload = video_booking(free_video_slot(partner_simulator))
    payload.update(change)
    payload = {k: v for k, v in payload.items() if v is not None}
    response = book_video(partner_simulator, payload)
    assert status_of(response) == expected
    assert field in response.json()["message"]
    assert partner_simulator.successful_creates("sanar_video.book") == 0


def test_book_auth_checks_create_nothing(partner_simulator):
    payload = video_booking(free_video_slot(partner_simulator))
    unsigned = book_video(partner_simulator, payload, headers=JSON_HEADERS)
    assert status_of(unsigned) == "1002"
    wrong_cmt = {**JSON_HEADERS, "Authorization": demo_keys.SANAR_TOKEN, "Cmt": sign({**payload, "time": "10:00"})}
    assert status_of(book_video(partner_simulator, payload, headers=wrong_cmt)) == "1003"
    assert partner_simulator.successful_creates("sanar_video.book") == 0


def test_book_non_json_body(partner_simulator):
    response = requests.post(
        partner_simulator.base_url("sanar_video") + "/book",
        data=b"not json",
        headers={**JSON_HEADERS, "Authorization": demo_keys.SANAR_TOKEN, "Cmt": sign({})},
        timeout=5,
    )
    assert status_of(response) == "1001"


def test_unknown_endpoint_and_wrong_method(partner_simulator):
    base = partner_simulator.base_url("sanar_video")
    assert requests.get(base + "/nothing", headers=JSON_HEADERS, timeout=5).status_code == 404
    assert requests.get(base + "/book", headers=JSON_HEADERS, timeout=5).status_code == 405


def test_concurrent_bookings_of_one_slot_create_once(partner_simulator):
    slot = free_video_slot(partner_simulator)
    payloads = [video_booking(slot, reference=f"PB-C{i}") for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(lambda p: status_of(book_video(partner_simulator, p)), payloads))
    assert statuses == ["1000"] + ["1005"] * 7
    assert partner_simulator.successful_creates("sanar_video.book") == 1
