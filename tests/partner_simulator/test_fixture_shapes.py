"""The simulator and the adapter tests speak the same payloads (tests/fixtures/partners/).

Every sample request is one the simulator accepts, and every answer the simulator gives has
the shape of the partner's sample answer. A shape is the keys at every level and which values
are objects or lists; scalar types are left out, because the samples vary them on purpose
(``"1000"`` and ``1000``, a price as number, string or ``"free"``) for the adapters to read.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from partner_simulator import demo_keys
from tests.partner_fixtures import PARTNER_FIXTURES, partner_fixture
from tests.partner_simulator.helpers import day, enroll, free_video_slot, sanar_post, video_get

PRODUCT = {"prd_id": demo_keys.SANAR_PRODUCT_CODE}


def shape(value):
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        shapes = [shape(item) for item in value]
        return [_merged(shapes)] if shapes else []
    return "scalar"


def _merged(shapes: list):
    """One shape for a list's items: the keys any item has (an item may leave one out)."""
    first, *rest = shapes
    for other in rest:
        first = _merge(first, other)
    return first


def _merge(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return {key: _merge(a[key], b[key]) if key in a and key in b else a.get(key, b.get(key)) for key in a | b}
    if isinstance(a, list) and isinstance(b, list):
        return [_merge(a[0], b[0])] if a and b else a or b
    return a if a == b else f"{a} or {b}"


@dataclass(frozen=True)
class Exchange:
    partner: str
    answer: str  # the sample answer the simulator's must look like
    http_status: int
    call: Callable  # (simulator, sample request or None) → response
    request: str | None = None  # the sample request sent (dates and slots moved into the simulator's calendar)

    def __str__(self):
        return f"{self.partner}/{self.answer}"


def _video_book(sim, request):
    slot = free_video_slot(sim, request["doctor_id"])
    moved = {**request, "date": day(), "slot_id": slot["slot_id"], "time": slot["time"]}
    return sanar_post(sim, "sanar_video", "book", moved, signed=True)


def _vaccination(endpoint: str, signed: bool = False):
    return lambda sim, payload: sanar_post(sim, "sanar_vaccination", endpoint, payload, signed=signed)


def _vaccination_book(sim, request):
    browse = {**PRODUCT, "date": day(), "location": request["location"], "services": request["services"]}
    providers = _vaccination("browse", signed=True)(sim, browse).json()["data"]["info"]["providers"]
    provider = next(p for p in providers if p["provider_id"] == request["provider_id"])
    slot = next(s for s in provider["slots"] if s["available"])
    moved = {**request, "date": day(), "slot_id": slot["slot_id"], "time": slot["time"]}
    return _vaccination("book", signed=True)(sim, moved)


def _enroll_after_503(sim, request):
    sim.inject("sandicare.enroll", "http_503")
    return enroll(sim, request)


GENERAL_MEDICINE = "enroll_general_medicine_request.json"
EXCHANGES = [
    Exchange("sanar_video", "specialities_response.json", 200, lambda sim, _: video_get(sim, "specialities", {})),
    Exchange(
        "sanar_video", "doctors_response.json", 200, lambda sim, _: video_get(sim, "doctors", {"spec_id": "DP34"})
    ),
    Exchange(
        "sanar_video",
        "slots_response.json",
        200,
        lambda sim, _: video_get(sim, "slots", {"doctor_id": "EMP86190", "date": day()}, signed=True),
    ),
    Exchange("sanar_video", "book_response.json", 200, _video_book, "book_request.json"),
    Exchange("sanar_vaccination", "services_response.json", 200, lambda sim, _: _vaccination("services")(sim, PRODUCT)),
    Exchange(
        "sanar_vaccination",
        "details_response.json",
        200,
        lambda sim, _: _vaccination("details")(sim, {"id": "VAC-MMR", **PRODUCT}),
    ),
    Exchange(
        "sanar_vaccination",
        "browse_response.json",
        200,
        lambda sim, request: _vaccination("browse", signed=True)(sim, {**request, "date": day()}),
        "browse_request.json",
    ),
    Exchange("sanar_vaccination", "book_response.json", 200, _vaccination_book, "book_request.json"),
    Exchange("sandicare", "enroll_general_medicine_response.json", 200, enroll, GENERAL_MEDICINE),
    Exchange("sandicare", "enroll_nutrition_response.json", 200, enroll, "enroll_nutrition_request.json"),
    Exchange(
        "sandicare",
        "error_400.json",
        400,
        lambda sim, request: enroll(sim, {**request, "dateOfBirth": "17/05/1990"}),
        GENERAL_MEDICINE,
    ),
    Exchange("sandicare", "error_401.json", 401, lambda sim, request: enroll(sim, request, key=None), GENERAL_MEDICINE),
    Exchange(
        "sandicare",
        "error_404.json",
        404,
        lambda sim, request: enroll(sim, {**request, "email": "nobody@example.org"}),
        GENERAL_MEDICINE,
    ),
    Exchange("sandicare", "error_503.json", 503, _enroll_after_503, GENERAL_MEDICINE),
]


@pytest.mark.parametrize("exchange", EXCHANGES, ids=str)
def test_the_simulator_accepts_the_sample_request_and_answers_in_the_sample_shape(exchange, partner_simulator):
    request = partner_fixture(exchange.partner, exchange.request) if exchange.request else None

    response = exchange.call(partner_simulator, request)

    assert response.status_code == exchange.http_status, response.text
    body = response.json()
    if exchange.partner.startswith("sanar"):
        assert str(body["status"]) == "1000", body
    assert shape(body) == shape(partner_fixture(exchange.partner, exchange.answer))


def test_every_sample_is_held_to_the_simulator():
    samples = {f"{path.parent.name}/{path.name}" for path in PARTNER_FIXTURES.glob("*/*.json")}
    held = {f"{e.partner}/{name}" for e in EXCHANGES for name in (e.answer, e.request) if name}
    assert samples == held


def test_a_shape_tells_a_missing_or_extra_key_and_a_list_from_an_object():
    sample = {"data": {"info": {"items": [{"id": 1, "age": "0-2"}, {"id": "2"}]}}}
    assert shape({"data": {"info": {"items": [{"id": "x", "age": None}]}}}) == shape(sample)
    assert shape({"data": {"info": {"items": [{"id": "x"}]}}}) != shape(sample)
    assert shape({"data": {"info": {"items": [{"id": 1, "age": "0-2", "date": "x"}]}}}) != shape(sample)
    assert shape({"data": {"info": {"items": {"id": 1, "age": "0-2"}}}}) != shape(sample)
