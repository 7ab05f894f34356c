"""A breaking difference in a live answer is a typed error naming the field, kept on the call's row."""

import pytest

from partners.adapters import sanar_vaccination, sanar_video
from partners.errors import MissingField
from partners.models import UpstreamCall
from tests.partners.sanar_adapter_cases import DATE, SANAR_VACCINATION, SANAR_VIDEO, vaccination_booking, video_booking
from tests.partners.test_client import envelope


@pytest.mark.parametrize(
    ("case", "adapter", "make_booking", "credential_fixture"),
    [
        (SANAR_VIDEO, sanar_video, video_booking, "sanar_video_credential"),
        (SANAR_VACCINATION, sanar_vaccination, vaccination_booking, "sanar_vaccination_credential"),
    ],
)
def test_a_book_answer_without_payment_url_names_the_field(
    case, adapter, make_booking, credential_fixture, partners, mock_http, request
):
    credential = request.getfixturevalue(credential_fixture)  # `partners` above: a db test, ordered as one
    booking = make_booking(credential)
    case.mock(mock_http, "book", json=envelope(1000, "ok", {"booking_id": "BK-1", "amount": "SAR 90"}))

    with pytest.raises(MissingField) as raised:
        adapter.book(credential, booking=booking)

    assert raised.value.field == "payment_url"
    assert "no payment_url (the link where the patient pays)" in raised.value.partner_message
    row = UpstreamCall.objects.get(operation="book")
    assert row.outcome == "bad_response" and "payment_url" in row.error


def test_a_book_answer_without_booking_id_names_the_field(mock_http, sanar_video_credential):
    booking = video_booking(sanar_video_credential)
    SANAR_VIDEO.mock(mock_http, "book", json=envelope(1000, "ok", {"payment_url": "https://pay.example/x"}))
    with pytest.raises(MissingField) as raised:
        sanar_video.book(sanar_video_credential, booking=booking)
    assert raised.value.field == "booking_id"


def test_slots_whose_id_was_renamed_name_slot_id(mock_http, sanar_video_credential):
    slots = {"slots": [{"id": "S-0900", "time": "09:00", "available": True}]}
    SANAR_VIDEO.mock(mock_http, "slots", json=envelope(1000, "ok", slots))
    with pytest.raises(MissingField, match="slot_id"):
        sanar_video.slots(sanar_video_credential, doctor_id="EMP86190", date=DATE)
