"""Each endpoint's schema is valid and the test fixtures (the partners' samples) fit it."""

import pytest

from partners.contract import shapes
from tests.partner_fixtures import partner_fixture

ENDPOINTS = [
    ("sanar_video", "specialities"),
    ("sanar_video", "doctors"),
    ("sanar_video", "slots"),
    ("sanar_vaccination", "services"),
    ("sanar_vaccination", "details"),
    ("sanar_vaccination", "browse"),
]


@pytest.mark.parametrize(("partner", "operation"), ENDPOINTS)
def test_the_sample_answer_breaks_nothing(partner, operation):
    info = partner_fixture(partner, f"{operation}_response.json")["data"]["info"]
    check = shapes.compare(partner, operation, info)
    assert not check.breaking, check.differences
    assert not [d for d in check.differences if d.kind == "added"]


def test_a_numeric_string_price_is_a_harmless_type_difference():
    info = partner_fixture("sanar_vaccination", "services_response.json")["data"]["info"]
    check = shapes.compare("sanar_vaccination", "services", info)
    assert shapes.Difference("type", "services[].price", breaking=False, detail="number, got numeric string") in (
        check.differences
    )


def test_an_optional_field_left_out_is_not_given():
    info = partner_fixture("sanar_vaccination", "services_response.json")["data"]["info"]
    check = shapes.compare("sanar_vaccination", "services", info)
    assert shapes.Difference("missing", "services[].age_group", breaking=False, detail="not given") in (
        check.differences
    )


def test_a_renamed_slot_id_breaks_and_names_the_field():
    info = {"slots": [{"id": "S-0900", "time": "09:00", "available": True}]}
    check = shapes.compare("sanar_video", "slots", info)
    assert check.breaking
    assert shapes.Difference("missing", "slots[].slot_id", breaking=True) in check.differences
    assert shapes.Difference("added", "slots[].id", breaking=False) in check.differences


def test_an_unreadable_optional_field_is_harmless_and_a_required_one_breaks():
    check = shapes.compare("sanar_video", "doctors", {"doctor": [{"doctor_id": {"x": 1}, "rating": [5]}]})
    kinds = {(d.path, d.breaking) for d in check.differences if d.kind == "type"}
    assert ("doctor[].doctor_id", True) in kinds
    assert ("doctor[].rating", False) in kinds
