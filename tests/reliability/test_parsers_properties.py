"""Property tests: whatever a partner sends, reading it raises nothing but a ``PartnerError``.

Every parser of partner answers is fed random input: the Sanar envelope and Sandicare's HTTP
answer, prices (``pay_amount``, price + currency), links, and each adapter's reading of
catalogues, slots, providers and create answers. The adapters' readers are taken from the
adapter functions themselves and run through the client's own reading step (``_read``), so
what is tested is what the worker runs. A last test sends random answers over (mocked) HTTP
through the whole client, which must store one attempt row per call whatever arrives.
"""

import datetime
import json
from decimal import Decimal

import pytest
import responses
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bookings.models import Booking
from partners.adapters import base, sanar_video
from partners.client import PartnerClient
from partners.errors import BadResponse, InvalidValue, PartnerError
from partners.models import UpstreamCall
from partners.money import InvalidAmount, money, parse_pay_amount
from partners.responses import parse_sanar, parse_sandicare, require_https_url
from tests.reliability.partner_answers import (
    ADAPTER_CALLS,
    BOOKING,
    DATE,
    Answer,
    answers,
    as_bytes,
    check_result,
    http_statuses,
    reader,
    sanar_body,
    scalars,
    unsaved_credential,
    urls,
    valid_float,
    valid_https,
    valid_money,
    valid_text,
    values,
)

# --- the properties ----------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)


@pytest.mark.parametrize("operation", list(ADAPTER_CALLS))
@PROPERTY_SETTINGS
@given(data=st.data())
def test_reading_any_answer_gives_a_result_or_a_partner_error(operation, data):
    http_status, body = data.draw(answers(operation))
    client = PartnerClient(unsaved_credential(operation))
    try:
        result = client._read(Answer(http_status, as_bytes(body)), reader(operation))
    except PartnerError:
        return
    check_result(operation, result)


@PROPERTY_SETTINGS
@given(http_statuses, st.binary(max_size=80) | st.text(max_size=80) | sanar_body(values) | values.map(json.dumps))
# Found by this property: a status past int()'s digit limit; a NUL escaped in the JSON and raw.
@example(200, json.dumps({"status": "1" + "0" * 4300, "message": "", "data": {}}))
@example(200, b'{"status": 1000, "message": "", "data": {"info": {"id": "DP\\u000034"}}}')
@example(200, b"\x00\x00 not json \x00")
def test_envelopes_give_a_dict_or_a_partner_error(http_status, body):
    for parse in (parse_sanar, parse_sandicare):
        try:
            result = parse(http_status, body)
        except PartnerError:
            continue
        assert isinstance(result, dict)
        assert "\x00" not in json.dumps(result, ensure_ascii=False)  # storable in PostgreSQL


@PROPERTY_SETTINGS
@given(scalars | values)
def test_pay_amount_gives_money_or_invalid_amount(text):
    try:
        result = parse_pay_amount(text)
    except InvalidAmount:
        return
    assert valid_money(result) and result.amount.as_tuple().exponent >= -2 and result.amount < Decimal(10**8)


@PROPERTY_SETTINGS
@given(scalars | values | st.decimals(), scalars | values)
def test_price_and_currency_give_money_or_invalid_amount(price, currency):
    try:
        result = money(price, currency)
    except InvalidAmount:
        return
    assert valid_money(result) and result.amount < Decimal(10**8)


@PROPERTY_SETTINGS
@given(urls | scalars | values)
def test_links_are_https_or_invalid(value):
    try:
        result = require_https_url(value)
    except InvalidValue:
        return
    assert valid_https(result) and not any(ch.isspace() for ch in result)


@PROPERTY_SETTINGS
@given(values)
@example(10**400)  # found by this property: an integer past float's range (OverflowError)
@example("\x00")
def test_tolerant_readers_never_raise(value):
    assert isinstance(base.text(value), str)
    assert valid_float(base.optional_float(value))
    assert isinstance(base.flag(value, default=True), bool)
    assert all(valid_text(item) for item in base.text_list(value))
    assert base.optional_https(value) is None or valid_https(base.optional_https(value))
    assert isinstance(base.parse_date(value, DATE), datetime.date)


# --- through the whole client: one stored attempt per call, whatever arrives ---------------


def saved_booking(partner) -> Booking:
    stored = [f for f in Booking._meta.concrete_fields if not f.primary_key and not f.generated]
    fields = {f.attname: getattr(BOOKING, f.attname) for f in stored}
    fields.update(partner_id=partner.pk, reference=None, idempotency_key=None)
    booking = Booking(**{k: v for k, v in fields.items() if v is not None})
    booking.save()
    return booking


@pytest.mark.django_db
@pytest.mark.parametrize("operation", ["sanar_video.slots", "sanar_vaccination.book", "sandicare.enroll"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_answers_over_http_are_stored_and_typed(
    operation, data, sanar_video_credential, sanar_vaccination_credential, sandicare_credential
):
    credential = {
        "sanar_video": sanar_video_credential,
        "sanar_vaccination": sanar_vaccination_credential,
        "sandicare": sandicare_credential,
    }[operation.split(".")[0]]
    http_status, body = data.draw(answers(operation))
    function, kwargs = ADAPTER_CALLS[operation]
    if "booking" in kwargs:
        kwargs = {**kwargs, "booking": saved_booking(credential.partner)}
    last_id = UpstreamCall.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with responses.RequestsMock(assert_all_requests_are_fired=False) as http:
        http.add(responses.GET, url=responses.matchers.re.compile(".*"), status=http_status, body=as_bytes(body))
        http.add(responses.POST, url=responses.matchers.re.compile(".*"), status=http_status, body=as_bytes(body))
        try:
            result = function(credential, **kwargs)
        except PartnerError as error:
            assert error.call is not None and error.call.pk is not None
        else:
            check_result(operation, result)
    calls = list(UpstreamCall.objects.filter(id__gt=last_id))
    assert 1 <= len(calls) <= 2  # two only for a Cmt mismatch, which is signed again once
    assert all(call.outcome in UpstreamCall.Outcome.values for call in calls)


# --- what the properties found, pinned ----------------------------------------------------


def test_a_status_past_the_integer_digit_limit_is_a_bad_response():
    with pytest.raises(BadResponse):
        parse_sanar(200, json.dumps({"status": "1" + "0" * 4300, "message": "", "data": {}}))


def test_a_rating_past_the_float_range_is_read_as_unknown():
    doctor = {"doctor_id": "EMP86190", "rating": 10**400, "pay_amount": "SAR 90"}
    body = json.dumps({"status": "1000", "message": "", "data": {"info": {"doctor": [doctor]}}}).encode()
    client = PartnerClient(unsaved_credential("sanar_video.doctors"))
    (read,) = client._read(Answer(200, body), reader("sanar_video.doctors"))
    assert read.rating is None and read.price is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b'{"status": 1000, "message": "", "data": {"info": {"specialities": [{"id": "DP\\u000034", "name": "x"}]}}}',
        b"\x00\x00 not json \x00",
    ],
    ids=["escaped in JSON", "raw bytes"],
)
def test_a_nul_in_an_answer_is_stored_with_its_attempt(sanar_video_credential, body):
    with responses.RequestsMock() as http:
        http.add(responses.GET, url=responses.matchers.re.compile(".*"), status=200, body=body)
        try:
            (speciality,) = sanar_video.specialities(sanar_video_credential)
        except BadResponse as error:
            assert error.call.pk is not None
        else:
            assert speciality.id == "DP\ufffd34"
    (call,) = UpstreamCall.objects.all()
    assert "\x00" not in call.response_body
