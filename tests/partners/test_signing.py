"""Known answers for the Cmt signature, computed independently with ``openssl dgst -hmac``.

printf '%s' "$CANONICAL" | openssl dgst -sha256 -hmac "$SECRET"
printf '%s' "$CANONICAL" | openssl dgst -sha512 -hmac "$SECRET" -binary | base64 -w0
"""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partners.signing import canonical_json, cmt_signature, query_payload

SECRET = "kat-secret-٢٠٢٦-x"  # non-ASCII on purpose: the key is the secret's UTF-8 bytes

GET_PAYLOAD = {"doctor_id": "EMP86190", "date": "2026-04-28"}
GET_CANONICAL = '{"date":"2026-04-28","doctor_id":"EMP86190"}'
GET_SHA256_HEX = "808efe921c676d6bce934cd7d0832b25f3b48dfe24cdfc7e86d5a765148ab4ee"
GET_SHA512_BASE64 = "KlKhG1DvP7lhywvi0TJtUpJny8Hg0keTnjj8HfdEvMaj/wmAKplBTnz6jECHuKU6vmotffYTT+vNbviddHDf4w=="

POST_PAYLOAD = {
    "services": ["MMR", "HEPB"],
    "prd_id": "PRD-KIDS-01",
    "location": {"lng": 46.6753, "lat": 24.7136, "city": "الرياض"},
    "date": "2026-04-28",
    "child": {"name": "ليان العتيبي", "gender": "Female", "dob": "2021-05-09"},
}
POST_CANONICAL = (
    '{"child":{"dob":"2021-05-09","gender":"Female","name":"ليان العتيبي"},"date":"2026-04-28",'
    '"location":{"city":"الرياض","lat":24.7136,"lng":46.6753},"prd_id":"PRD-KIDS-01","services":["MMR","HEPB"]}'
)
POST_SHA256_HEX = "1c87c461c168817cde26d8784b057ef47c6edf82d5cf9020002b121cf429febf"
POST_SHA512_BASE64 = "dupGAd2H3bnRUGtW5eWOUUnU8scP+hOd+TYb3+yO6Z+AGODkyf+3N1WTRD8wM862yWuQEVMAv4yHk/qQ5EKoew=="


def test_canonical_json_of_the_slots_get_payload():
    assert canonical_json(GET_PAYLOAD) == GET_CANONICAL


def test_canonical_json_sorts_nested_keys_and_keeps_utf8():
    assert canonical_json(POST_PAYLOAD) == POST_CANONICAL


def test_no_payload_is_an_empty_object():
    assert canonical_json(None) == "{}"
    assert cmt_signature(None, secret=SECRET) == cmt_signature({}, secret=SECRET)


@pytest.mark.parametrize(
    "payload, algorithm, encoding, expected",
    [
        (GET_PAYLOAD, "sha256", "hex", GET_SHA256_HEX),
        (GET_PAYLOAD, "sha512", "base64", GET_SHA512_BASE64),
        (POST_PAYLOAD, "sha256", "hex", POST_SHA256_HEX),
        (POST_PAYLOAD, "sha512", "base64", POST_SHA512_BASE64),
    ],
)
def test_known_answers(payload, algorithm, encoding, expected):
    assert cmt_signature(payload, secret=SECRET, algorithm=algorithm, encoding=encoding) == expected


def test_default_is_lowercase_hex_sha256():
    assert cmt_signature(GET_PAYLOAD, secret=SECRET) == GET_SHA256_HEX


def test_unknown_algorithm_or_encoding_is_refused():
    with pytest.raises(ValueError, match="algorithm"):
        cmt_signature({}, secret=SECRET, algorithm="md5")
    with pytest.raises(ValueError, match="encoding"):
        cmt_signature({}, secret=SECRET, encoding="base32")


def test_query_payload_is_strings_and_skips_missing_values():
    assert query_payload({"doctor_id": "EMP86190", "date": datetime.date(2026, 4, 28), "page": 2, "x": None}) == {
        "doctor_id": "EMP86190",
        "date": "2026-04-28",
        "page": "2",
    }


def test_slots_query_signs_like_the_published_sample():
    payload = query_payload({"doctor_id": "EMP86190", "date": datetime.date(2026, 4, 28)})
    assert cmt_signature(payload, secret=SECRET) == GET_SHA256_HEX


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), json_values, max_size=6))
def test_signature_does_not_depend_on_key_order(payload):
    reversed_payload = dict(reversed(list(payload.items())))
    assert cmt_signature(payload, secret=SECRET) == cmt_signature(reversed_payload, secret=SECRET)
    assert canonical_json(payload) == canonical_json(reversed_payload)
