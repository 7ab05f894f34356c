"""Every fault kind, how long it lasts, and what it creates."""

import time

import pytest
import requests

from partner_simulator.server import PartnerSimulator
from tests.partner_simulator.helpers import (
    ENROLLMENT,
    book_video,
    enroll,
    free_video_slot,
    sanar_post,
    status_of,
    video_booking,
    video_get,
    video_slots,
)

BOOK = "sanar_video.book"


def book_free_slot(sim, reference="PB-F1", **kwargs):
    slot = free_video_slot(sim)
    return slot, book_video(sim, video_booking(slot, reference=reference), **kwargs)


@pytest.mark.parametrize("code", ["1001", "1002", "1003", "1004", "1005", "5000"])
def test_body_status_faults_create_nothing(partner_simulator, code):
    partner_simulator.inject(BOOK, code)
    slot, response = book_free_slot(partner_simulator)
    assert response.status_code == 200
    assert response.json()["status"] == int(code)
    assert partner_simulator.successful_creates(BOOK) == 0
    assert next(s for s in video_slots(partner_simulator) if s["slot_id"] == slot["slot_id"])["available"]
    assert status_of(book_video(partner_simulator, video_booking(slot))) == "1000"  # times=1 is used up


def test_body_status_fault_keeps_the_endpoint_status_type(partner_simulator):
    partner_simulator.inject("sanar_video.doctors", "5000")
    partner_simulator.inject("sanar_video.specialities", "5000")
    assert video_get(partner_simulator, "doctors", {"spec_id": "DP34"}).json()["status"] == "5000"
    assert video_get(partner_simulator, "specialities", {}).json()["status"] == 5000


def test_sanar_http_503(partner_simulator):
    partner_simulator.inject(BOOK, "http_503")
    _, response = book_free_slot(partner_simulator)
    assert response.status_code == 503
    assert response.json()["status"] == 5000
    assert partner_simulator.successful_creates(BOOK) == 0


def test_sandicare_http_503(partner_simulator):
    partner_simulator.inject("sandicare.enroll", "http_503")
    response = enroll(partner_simulator, ENROLLMENT)
    assert response.status_code == 503
    assert set(response.json()) == {"error", "message"}
    assert partner_simulator.successful_creates("sandicare.enroll") == 0


@pytest.mark.parametrize(("fault", "status"), [("http_400", 400), ("http_401", 401), ("http_404", 404)])
def test_sandicare_http_errors(partner_simulator, fault, status):
    partner_simulator.inject("sandicare.enroll", fault)
    response = enroll(partner_simulator, ENROLLMENT)
    assert response.status_code == status
    assert set(response.json()) == {"error", "message"}
    assert partner_simulator.successful_creates("sandicare.enroll") == 0


def test_http_502_html(partner_simulator):
    partner_simulator.inject("sanar_vaccination.services", "http_502_html")
    response = sanar_post(partner_simulator, "sanar_vaccination", "services", {"prd_id": "x"})
    assert response.status_code == 502
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<html>" in response.text


@pytest.mark.parametrize("operation", [BOOK, "sandicare.enroll"])
def test_bad_json(partner_simulator, operation):
    partner_simulator.inject(operation, "bad_json")
    if operation == BOOK:
        _, response = book_free_slot(partner_simulator)
    else:
        response = enroll(partner_simulator, ENROLLMENT)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    assert partner_simulator.successful_creates(operation) == 0


def test_missing_status(partner_simulator):
    partner_simulator.inject(BOOK, "missing_status")
    _, response = book_free_slot(partner_simulator)
    assert response.status_code == 200
    assert "status" not in response.json()
    assert partner_simulator.successful_creates(BOOK) == 0


def test_not_https_url_is_a_real_success(partner_simulator):
    partner_simulator.inject(BOOK, "not_https_url")
    _, response = book_free_slot(partner_simulator)
    assert response.json()["status"] == 1000
    assert response.json()["data"]["info"]["payment_url"].startswith("http://pay.sanar.example/")
    assert partner_simulator.successful_creates(BOOK) == 1
    partner_simulator.inject("sandicare.enroll", "not_https_url")
    assert enroll(partner_simulator, ENROLLMENT).json()["url"].startswith("http://nimbo.example/")


def test_read_timeout_after_accept_creates_then_answers_too_late(partner_simulator):
    partner_simulator.inject(BOOK, "read_timeout_after_accept", sleep_s=1.0)
    slot = free_video_slot(partner_simulator)
    with pytest.raises(requests.exceptions.ReadTimeout):
        book_video(partner_simulator, video_booking(slot, reference="PB-T1"), timeout=(2, 0.3))
    assert partner_simulator.successful_creates(BOOK) == 1
    assert partner_simulator.creates(BOOK)[0]["partner_reference"] == "PB-T1"
    retry = book_video(partner_simulator, video_booking(slot, reference="PB-T1"))
    assert status_of(retry) == "1005"  # the slot was taken by the call that timed out


def test_read_timeout_sleep_default_is_configurable(partner_simulator):
    partner_simulator.set_read_timeout_sleep(0.4)
    partner_simulator.inject("sandicare.enroll", "read_timeout_after_accept")
    started = time.monotonic()
    response = enroll(partner_simulator, ENROLLMENT, timeout=(2, 3))
    assert response.status_code == 200
    assert 0.4 <= time.monotonic() - started < 2.5


def test_a_sleeping_request_does_not_block_shutdown():
    simulator = PartnerSimulator().start()  # default sleep: 5 s
    simulator.inject("sandicare.enroll", "read_timeout_after_accept")
    with pytest.raises(requests.exceptions.ReadTimeout):
        enroll(simulator, ENROLLMENT, timeout=(2, 0.2))
    started = time.monotonic()
    simulator.stop()
    assert time.monotonic() - started < 2
    assert simulator.successful_creates("sandicare.enroll") == 1


@pytest.mark.parametrize("operation", [BOOK, "sandicare.enroll"])
def test_connection_reset_creates_nothing(partner_simulator, operation):
    partner_simulator.inject(operation, "connection_reset")
    with pytest.raises(requests.exceptions.ConnectionError):
        if operation == BOOK:
            book_free_slot(partner_simulator)
        else:
            enroll(partner_simulator, ENROLLMENT)
    assert partner_simulator.successful_creates(operation) == 0
    assert partner_simulator.received(operation)[-1]["json"]  # the request was read in full
    assert enroll(partner_simulator, ENROLLMENT).status_code == 200  # the server carries on


def test_times_n_then_normal_service(partner_simulator):
    partner_simulator.inject("sanar_video.specialities", "5000", times=2)
    statuses = [video_get(partner_simulator, "specialities", {}).json()["status"] for _ in range(3)]
    assert statuses == [5000, 5000, 1000]
    assert partner_simulator.faults() == []


def test_times_minus_one_is_always(partner_simulator):
    partner_simulator.inject("sanar_video.specialities", "http_503", times=-1)
    assert {video_get(partner_simulator, "specialities", {}).status_code for _ in range(4)} == {503}
    partner_simulator.reset()
    assert video_get(partner_simulator, "specialities", {}).status_code == 200


def test_injections_queue_in_order(partner_simulator):
    partner_simulator.inject("sanar_video.specialities", "5000")
    partner_simulator.inject("sanar_video.specialities", "1004")
    statuses = [video_get(partner_simulator, "specialities", {}).json()["status"] for _ in range(3)]
    assert statuses == [5000, 1004, 1000]


def test_faults_only_hit_their_operation(partner_simulator):
    partner_simulator.inject("sanar_video.doctors", "5000")
    assert video_get(partner_simulator, "specialities", {}).json()["status"] == 1000
    assert video_get(partner_simulator, "doctors", {"spec_id": "DP34"}).json()["status"] == "5000"


@pytest.mark.parametrize(
    ("operation", "fault", "times"),
    [
        ("sanar_video.nope", "5000", 1),
        ("sanar_video.book", "http_404", 1),
        ("sandicare.enroll", "1005", 1),
        ("sanar_video.slots", "not_https_url", 1),
        ("sanar_video.book", "5000", 0),
    ],
)
def test_invalid_injections_are_refused(partner_simulator, operation, fault, times):
    with pytest.raises(ValueError):
        partner_simulator.inject(operation, fault, times=times)


def test_latency_applies_to_every_request(partner_simulator):
    partner_simulator.set_latency(150)
    started = time.monotonic()
    video_get(partner_simulator, "specialities", {})
    enroll(partner_simulator, ENROLLMENT)
    assert time.monotonic() - started >= 0.3
    partner_simulator.reset()
    started = time.monotonic()
    video_get(partner_simulator, "specialities", {})
    assert time.monotonic() - started < 0.15


def test_received_log_and_reset(partner_simulator):
    slot, _ = book_free_slot(partner_simulator, reference="PB-R1")
    enroll(partner_simulator, ENROLLMENT)
    books = partner_simulator.received(BOOK)
    assert len(books) == 1
    entry = books[0]
    assert entry["method"] == "POST"
    assert entry["path"] == "/sanar-video/v1/book"
    assert entry["headers"]["authorization"] == entry["headers"]["Authorization"]
    assert entry["headers"]["Content-Type"] == "application/json"
    assert entry["json"]["partner_reference"] == "PB-R1"
    slots_call = partner_simulator.received("sanar_video.slots")[0]
    assert slots_call["method"] == "GET" and slots_call["query"]["doctor_id"] == "EMP86190"
    assert len(partner_simulator.received()) == 3

    partner_simulator.inject(BOOK, "5000", times=-1)
    partner_simulator.set_latency(10)
    partner_simulator.reset()
    assert partner_simulator.received() == []
    assert partner_simulator.successful_creates(BOOK) == 0
    assert partner_simulator.faults() == []
    assert partner_simulator.state.latency_ms == 0
    assert status_of(book_video(partner_simulator, video_booking(slot))) == "1000"  # the slot is free again
