"""What is stored about a call: no secret, patient identifiers masked, size capped."""

import json

import pytest

from partners.redaction import (
    REDACTED,
    cap,
    erase_json,
    erase_text,
    mask_email,
    mask_mobile,
    mask_name,
    redact_headers,
    redact_json,
    scrub,
    stored_request_body,
    stored_response_body,
)


def test_masks_keep_just_enough_to_recognise_a_record():
    assert mask_name("Mohammed Al-Otaibi") == "M***"
    assert mask_mobile("+966501234567") == "+9665******67"
    assert mask_email("patient@example.org") == "p***@example.org"
    assert mask_mobile("12345") == "***"
    assert mask_email("not-an-email") == "***"


def test_secret_headers_are_removed():
    headers = {
        "Authorization": "tok",
        "Cmt": "sig",
        "x-api-key": "sdx_k",
        "X-API-KEY": "k",
        "Accept": "application/json",
    }
    assert redact_headers(headers) == {
        "Authorization": REDACTED,
        "Cmt": REDACTED,
        "x-api-key": REDACTED,
        "X-API-KEY": REDACTED,
        "Accept": "application/json",
    }


def test_video_booking_body_is_masked():
    body = {
        "doctor_id": "EMP86190",
        "patient": {
            "name": "Mohammed Al-Otaibi",
            "mobile": "+966501234567",
            "email": "mohammed.otaibi@example.org",
            "gender": "Male",
            "dob": "1990-05-17",
        },
        "partner_reference": "BK-1",
    }
    assert redact_json(body) == {
        "doctor_id": "EMP86190",
        "patient": {
            "name": "M***",
            "mobile": "+9665******67",
            "email": "m***@example.org",
            "gender": "Male",
            "dob": "****-**-**",
        },
        "partner_reference": "BK-1",
    }


def test_vaccination_child_guardian_and_home_address_are_masked():
    body = {
        "child": {"name": "ليان العتيبي", "dob": "2024-02-10"},
        "guardian": {"name": "Mohammed", "mobile": "+966501234567", "email": "m@example.org"},
        "location": {"city": "Riyadh", "address": "Al Malqa, Street 12"},
    }
    redacted = redact_json(body)
    assert redacted["child"] == {"name": "ل***", "dob": "****-**-**"}
    assert redacted["guardian"] == {"name": "M***", "mobile": "+9665******67", "email": "m***@example.org"}
    assert redacted["location"] == {"city": "Riyadh", "address": "A***"}


def test_sandicare_body_is_masked():
    body = {
        "programId": "1001",
        "service": "general_medicine",
        "email": "patient@example.org",
        "dateOfBirth": "1990-05-17",
        "consultationReason": "Persistent cough",
        "national_id": "1086190042",
    }
    assert redact_json(body) == {
        "programId": "1001",
        "service": "general_medicine",
        "email": "p***@example.org",
        "dateOfBirth": "****-**-**",
        "consultationReason": "***",
        "national_id": "***",
    }


def test_catalogue_names_are_not_patient_data():
    answer = {"doctor": [{"name": "Dr. Prince George", "first_name": "Prince"}], "services": [{"name": "MMR"}]}
    assert redact_json(answer) == answer


def test_secret_keys_are_removed_wherever_they_appear():
    answer = {"debug": {"headers": {"Authorization": "tok", "Cmt": "sig", "X-Api-Key": "k"}, "token": "t"}}
    assert redact_json(answer) == {
        "debug": {"headers": {"Authorization": REDACTED, "Cmt": REDACTED, "X-Api-Key": REDACTED}, "token": REDACTED}
    }


def test_known_values_are_scrubbed_from_any_text():
    text = "echo: Authorization=sim-token-123 for mohammed@example.org"
    assert (
        scrub(text, ["sim-token-123", "mohammed@example.org", "", "ab"])
        == f"echo: Authorization={REDACTED} for {REDACTED}"
    )


def test_cap_keeps_the_text_within_the_limit():
    assert cap("short", 100) == "short"
    capped = cap("x" * 1000, 100)
    assert len(capped) <= 100 and capped.startswith("xxx") and "truncated 900 chars" in capped


def test_stored_request_body_is_json_masked_and_capped(settings):
    assert stored_request_body(None) is None
    assert stored_request_body({"email": "a@b.org"}) == {"email": "a***@b.org"}
    settings.PARTNER_STORED_BODY_MAX_CHARS = 50
    stored = stored_request_body({"notes_list": ["x" * 100]})
    assert list(stored) == ["_truncated"] and len(stored["_truncated"]) <= 50


@pytest.mark.parametrize(
    "text",
    [
        "<html><body>Error for mohammed@example.org, token sim-token-123</body></html>",
        json.dumps({"message": "Invalid token sim-token-123", "echo": {"email": "mohammed@example.org"}}),
    ],
)
def test_stored_response_body_has_neither_secrets_nor_identifiers(text):
    stored = stored_response_body(text, sensitive=["sim-token-123", "mohammed@example.org"])
    assert "sim-token-123" not in stored and "mohammed@example.org" not in stored


def test_stored_response_body_keeps_non_json_verbatim_and_capped(settings):
    settings.PARTNER_STORED_BODY_MAX_CHARS = 40
    assert stored_response_body("<html>502</html>") == "<html>502</html>"
    assert len(stored_response_body("<html>" + "y" * 500)) <= 40
    assert stored_response_body("") == ""


def test_deeply_nested_json_is_stored_as_text_instead_of_failing():
    for depth in (700, 5000):
        text = '{"a":[' * depth + '"secret-value"' + "]}" * depth
        stored = stored_response_body(text, sensitive=["secret-value"])
        assert "secret-value" not in stored and stored.startswith('{"a":[')


def test_erasure_removes_what_the_masks_still_show_and_keeps_ids_and_money():
    stored = stored_request_body(
        {
            "patient": {"name": "Layla Haddad", "mobile": "+966501234567", "dob": "1990-05-17"},
            "location": {"city": "Riyadh", "address": "12 King Fahd Road", "lat": 24.7, "lng": 46.6},
            "booking_id": "SNR-1",
            "amount": "90.00",
            "currency": "SAR",
            "note": "call Layla Haddad",
        },
        sensitive=(),
    )
    erased = erase_json(stored, sensitive=("Layla Haddad",))
    assert erased["patient"] == {"name": "[redacted]", "mobile": "[redacted]", "dob": "[redacted]"}
    assert erased["location"] == {"city": "Riyadh", "address": "[redacted]", "lat": "[redacted]", "lng": "[redacted]"}
    assert (erased["booking_id"], erased["amount"], erased["currency"]) == ("SNR-1", "90.00", "SAR")
    assert erased["note"] == "call [redacted]"
    assert erase_text("Error for Layla Haddad", sensitive=("Layla Haddad",)) == "Error for [redacted]"
    assert erase_json(erased, sensitive=("Layla Haddad",)) == erased
