"""The shape switches: the normal answer rewritten, and a /book without payment_url still books."""

from partner_simulator import shapes
from partner_simulator.protocol import Reply


def success(info):
    return Reply(200, {"status": 1000, "message": "ok", "data": {"info": info}})


def test_harmless_shape_writes_numbers_as_strings_and_adds_fields():
    reply = shapes.reshape(
        "sanar_video.doctors",
        success({"doctor": [{"doctor_id": "D1", "rating": 4.8, "pay_amount": "SAR 90"}]}),
        "harmless_shape",
    )
    info = reply.payload["data"]["info"]
    assert reply.payload["status"] == "1000"
    assert info["doctor"] == [{"doctor_id": "D1", "rating": "4.8", "fee": "SAR 90"}]
    assert info["trace_id"]


def test_breaking_shape_renames_ids_and_drops_the_payment_url():
    slots = shapes.reshape("sanar_video.slots", success({"slots": [{"slot_id": "S1"}]}), "breaking_shape")
    assert slots.payload["data"]["info"]["slots"] == [{"id": "S1"}]
    book = shapes.reshape(
        "sanar_video.book", success({"booking_id": "B1", "payment_url": "https://p/1"}), "breaking_shape"
    )
    assert book.payload["data"]["info"] == {"booking_id": "B1"}


def test_an_error_answer_keeps_its_shape():
    error = Reply(200, {"status": 1004, "message": "Not found", "data": {}})
    assert shapes.reshape("sanar_video.slots", error, "breaking_shape") is error
