"""Calls to the simulator as a partner client would make them, signed independently of it."""

import datetime
import hashlib
import hmac
import json

import requests

from partner_simulator import data, demo_keys

JSON_HEADERS = {"Content-Type": "application/json"}
TIMEOUT = (2, 5)


def sign(payload, secret: str = demo_keys.SANAR_CMT_SECRET) -> str:
    message = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signed_headers(payload, *, token: str = demo_keys.SANAR_TOKEN, cmt: str | None = None) -> dict:
    return {**JSON_HEADERS, "Authorization": token, "Cmt": sign(payload) if cmt is None else cmt}


def day(offset: int = 1) -> str:
    return (data.partner_today() + datetime.timedelta(days=offset)).isoformat()


def video_get(sim, endpoint: str, params: dict, *, signed: bool = False, headers: dict | None = None, **kwargs):
    base = sim.base_url("sanar_video")
    if headers is None:
        headers = signed_headers(params) if signed else JSON_HEADERS
    return requests.get(f"{base}/{endpoint}", params=params, headers=headers, timeout=TIMEOUT, **kwargs)


def sanar_post(sim, partner: str, endpoint: str, payload, *, signed: bool = False, headers=None, **kwargs):
    base = sim.base_url(partner)
    if headers is None:
        headers = signed_headers(payload) if signed else JSON_HEADERS
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return requests.post(
        f"{base}/{endpoint}", data=body, headers=headers, timeout=kwargs.pop("timeout", TIMEOUT), **kwargs
    )


def status_of(response) -> str:
    """The body status as a string, whichever type the endpoint uses."""
    return str(response.json()["status"])


def video_slots(sim, doctor_id: str = "EMP86190", date: str | None = None) -> list[dict]:
    params = {"doctor_id": doctor_id, "date": date or day()}
    response = video_get(sim, "slots", params, signed=True)
    assert status_of(response) == "1000", response.text
    return response.json()["data"]["info"]["slots"]


def free_video_slot(sim, doctor_id: str = "EMP86190", date: str | None = None) -> dict:
    return next(s for s in video_slots(sim, doctor_id, date) if s["available"])


def video_booking(slot: dict, *, doctor_id="EMP86190", spec_id="DP34", date=None, reference="PB-0001", **changes):
    payload = {
        "doctor_id": doctor_id,
        "spec_id": spec_id,
        "date": date or day(),
        "slot_id": slot["slot_id"],
        "time": slot["time"],
        "patient": {
            "name": "Aisha Al Qahtani",
            "mobile": "+966512345678",
            "email": "aisha@example.org",
            "gender": "Female",
            "dob": "1992-03-14",
        },
        "partner_reference": reference,
    }
    payload.update(changes)
    return payload


def book_video(sim, payload, **kwargs):
    return sanar_post(sim, "sanar_video", "book", payload, signed=True, **kwargs)


RIYADH = {"lat": 24.7136, "lng": 46.6753, "city": "Riyadh"}


def browse_payload(date=None, services=("VAC-MMR",), location=None) -> dict:
    return {
        "prd_id": demo_keys.SANAR_PRODUCT_CODE,
        "date": date or day(),
        "location": location or RIYADH,
        "services": list(services),
    }


def vaccination_booking(provider_id: str, slot: dict, *, date=None, services=("VAC-MMR",), reference="PB-0100"):
    return {
        "prd_id": demo_keys.SANAR_PRODUCT_CODE,
        "provider_id": provider_id,
        "services": list(services),
        "date": date or day(),
        "slot_id": slot["slot_id"],
        "time": slot["time"],
        "location": RIYADH,
        "child": {"name": "Omar", "dob": "2022-01-09", "gender": "Male"},
        "guardian": {"name": "Huda", "mobile": "+966501112233", "email": "huda@example.org"},
        "partner_reference": reference,
    }


ENROLLMENT = {
    "programId": "1001",
    "service": "general_medicine",
    "email": "patient@example.org",
    "dateOfBirth": "1990-05-17",
    "consultationReason": "Fever for two days",
}


def enroll(sim, body, *, key: str | None = demo_keys.SANDICARE_SANDBOX_KEY, partner="sandicare", timeout=TIMEOUT):
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["x-api-key"] = key
    return requests.post(f"{sim.base_url(partner)}/meetings/enroll", json=body, headers=headers, timeout=timeout)
