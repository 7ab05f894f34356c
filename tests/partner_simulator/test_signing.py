"""The simulator's Cmt check against known answers computed here, not by the simulator."""

import hashlib
import hmac

from partner_simulator import demo_keys, signing
from tests.partner_simulator.helpers import JSON_HEADERS, sanar_post, sign, status_of, video_get

SECRET = demo_keys.SANAR_CMT_SECRET
KNOWN_ANSWERS = [
    (
        {"doctor_id": "EMP86190", "date": "2026-04-28"},
        '{"date":"2026-04-28","doctor_id":"EMP86190"}',
        "eb41a4317063fc0f1ab8bd959607c02ac9665663d569e3a126f3fe5878584b03",
    ),
    ({}, "{}", "64d83e5d6b06c4ae0e7e242667acfe2eef60fe0e8c0f6eaa998b77294f6881a8"),
    (
        {"z": "محمد", "a": {"c": [{"y": None, "x": "é"}], "b": 1}},
        '{"a":{"b":1,"c":[{"x":"é","y":null}]},"z":"محمد"}',
        "af6e66b89377db84888e7a6fe41892bc404069b2ac4a326760a014923cb10f19",
    ),
]


def test_known_answers():
    for payload, canonical, expected in KNOWN_ANSWERS:
        by_hand = hmac.new(SECRET.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()
        assert by_hand == expected
        assert signing.canonical_payload(payload) == canonical.encode("utf-8")
        assert signing.cmt(payload, SECRET) == expected
        assert sign(payload) == expected


def test_get_payload_is_the_query_as_strings():
    assert signing.query_payload("doctor_id=EMP86190&date=2026-04-28") == {
        "doctor_id": "EMP86190",
        "date": "2026-04-28",
    }
    assert signing.query_payload("") == {}


def test_the_server_accepts_the_known_answer_for_a_get(partner_simulator):
    params = {"doctor_id": "EMP86190", "date": "2026-04-28"}
    headers = {**JSON_HEADERS, "Authorization": demo_keys.SANAR_TOKEN, "Cmt": KNOWN_ANSWERS[0][2]}
    response = video_get(partner_simulator, "slots", params, headers=headers)
    assert status_of(response) == "1000"  # signature accepted (the date may be outside the horizon)
    upper = {**headers, "Cmt": KNOWN_ANSWERS[0][2].upper()}
    assert status_of(video_get(partner_simulator, "slots", params, headers=upper)) == "1003"


def test_the_server_signs_post_bodies_canonically_whatever_their_key_order(partner_simulator):
    payload = {"services": ["VAC-MMR"], "prd_id": demo_keys.SANAR_PRODUCT_CODE, "date": "2026-04-28",
               "location": {"lng": 46.6753, "city": "الرياض", "lat": 24.7136}}  # fmt: skip
    headers = {**JSON_HEADERS, "Authorization": demo_keys.SANAR_TOKEN, "Cmt": sign(payload)}
    response = sanar_post(partner_simulator, "sanar_vaccination", "browse", payload, headers=headers)
    assert status_of(response) == "1000"


def test_an_empty_post_body_signs_as_empty_object(partner_simulator):
    headers = {**JSON_HEADERS, "Authorization": demo_keys.SANAR_TOKEN, "Cmt": KNOWN_ANSWERS[1][2]}
    response = sanar_post(partner_simulator, "sanar_vaccination", "browse", None, headers=headers)
    # the signature is right, so the answer is about the missing fields
    assert status_of(response) == "1001"
    assert "prd_id" in response.json()["message"]
