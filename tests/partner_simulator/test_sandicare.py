"""Sandicare enrollment in both environments: URLs, key checks, 400 and 404 answers."""

import pytest
import requests

from partner_simulator import demo_keys
from tests.partner_simulator.helpers import ENROLLMENT, enroll


def test_general_medicine_gets_a_nimbo_waiting_room(partner_simulator):
    response = enroll(partner_simulator, ENROLLMENT)
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("https://nimbo.example/waiting-room/")
    assert enroll(partner_simulator, ENROLLMENT).json()["url"] != url  # a room per enrollment
    assert partner_simulator.successful_creates("sandicare.enroll") == 2


def test_other_services_get_the_preconfigured_link(partner_simulator):
    body = {"programId": "1002", "service": "nutrition", "email": "patient@example.org", "dateOfBirth": "1990-05-17"}
    response = enroll(partner_simulator, body)
    assert response.status_code == 200
    assert response.json() == {"url": "https://care.sandicare.example/programs/1002/nutrition"}


def test_production_path_takes_the_production_key(partner_simulator):
    response = enroll(
        partner_simulator, ENROLLMENT, key=demo_keys.SANDICARE_PRODUCTION_KEY, partner="sandicare_production"
    )
    assert response.status_code == 200
    assert partner_simulator.creates("sandicare.enroll")[0]["environment"] == "production"


@pytest.mark.parametrize(
    ("key", "partner"),
    [
        (None, "sandicare"),
        ("sdx_wrongwrongwrongwrong0000", "sandicare"),
        (demo_keys.SANDICARE_PRODUCTION_KEY, "sandicare"),
        (demo_keys.SANDICARE_SANDBOX_KEY, "sandicare_production"),
    ],
)
def test_key_checks(partner_simulator, key, partner):
    response = enroll(partner_simulator, ENROLLMENT, key=key, partner=partner)
    assert response.status_code == 401
    assert set(response.json()) == {"error", "message"}
    assert partner_simulator.successful_creates("sandicare.enroll") == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"programId": None}, "programId"),
        ({"programId": "10a1"}, "programId"),
        ({"programId": 1001}, "programId"),
        ({"service": "dentistry"}, "service"),
        ({"email": None}, "email"),
        ({"dateOfBirth": "17/05/1990"}, "dateOfBirth"),
        ({"dateOfBirth": None}, "dateOfBirth"),
        ({"consultationReason": None}, "consultationReason"),
        ({"service": "psychology"}, "consultationReason"),  # must be omitted for other services
    ],
)
def test_field_checks(partner_simulator, change, field):
    body = {k: v for k, v in {**ENROLLMENT, **change}.items() if v is not None}
    response = enroll(partner_simulator, body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert field in response.json()["message"]


def test_body_that_is_not_json(partner_simulator):
    response = requests.post(
        partner_simulator.base_url("sandicare") + "/meetings/enroll",
        data=b"{oops",
        headers={"x-api-key": demo_keys.SANDICARE_SANDBOX_KEY, "Content-Type": "application/json"},
        timeout=5,
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"programId": "9999"}, "program_not_found"),
        ({"programId": "2001"}, "program_not_found"),  # another tenant's program
        ({"email": "nobody@example.org"}, "patient_not_found"),
        ({"dateOfBirth": "1990-05-18"}, "subscription_not_found"),
        ({"email": "expired@example.org", "dateOfBirth": "1985-11-02"}, "subscription_not_found"),
        ({"email": "nutrition.only@example.org", "dateOfBirth": "2001-02-03"}, "subscription_not_found"),
    ],
)
def test_not_found_answers(partner_simulator, change, error):
    response = enroll(partner_simulator, {**ENROLLMENT, **change})
    assert response.status_code == 404
    assert response.json()["error"] == error
    assert partner_simulator.successful_creates("sandicare.enroll") == 0


def test_service_not_configured_for_the_program(partner_simulator):
    body = {"programId": "1001", "service": "internal_medicine", "email": "patient@example.org"}
    response = enroll(partner_simulator, {**body, "dateOfBirth": "1990-05-17"})
    assert response.status_code == 404
    assert response.json()["error"] == "service_not_configured"
