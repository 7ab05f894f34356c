"""Reading partner answers: the Sanar envelope, Sandicare's HTTP answer, links and prices."""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partners.errors import (
    BadResponse,
    NotFound,
    PartnerError,
    ServerError,
    SignatureMismatch,
    SlotUnavailable,
    Unauthorized,
    ValidationFailed,
)
from partners.money import InvalidAmount, Money, money, parse_pay_amount
from partners.responses import parse_sanar, parse_sandicare, require_https_url


def sanar(status, message="", info=None, **extra):
    body = {"status": status, "message": message, **extra}
    if info is not None:
        body["data"] = {"info": info}
    return json.dumps(body)


# --- Sanar envelope ---


@pytest.mark.parametrize("status", [1000, "1000", " 1000 "])
def test_sanar_success_as_integer_or_string(status):
    assert parse_sanar(200, sanar(status, "ok", {"doctor_id": "EMP86190"})) == {"doctor_id": "EMP86190"}


def test_sanar_success_accepts_bytes_with_utf8():
    assert parse_sanar(200, sanar(1000, "ok", {"name": "محمد"}).encode()) == {"name": "محمد"}


@pytest.mark.parametrize(
    "status, error_class",
    [
        (1001, ValidationFailed),
        ("1002", Unauthorized),
        (1003, SignatureMismatch),
        ("1004", NotFound),
        (1005, SlotUnavailable),
        ("5000", ServerError),
    ],
)
@pytest.mark.parametrize("http_status", [200, 400, 500])
def test_sanar_body_status_decides_before_http_status(status, error_class, http_status):
    with pytest.raises(error_class) as excinfo:
        parse_sanar(http_status, sanar(status, "the partner's words"))
    assert excinfo.value.partner_message == "the partner's words"
    assert excinfo.value.body_status == str(status)
    assert excinfo.value.http_status == http_status


def test_sanar_error_without_message_gets_a_readable_default():
    with pytest.raises(SlotUnavailable, match="no longer available"):
        parse_sanar(200, sanar(1005))


@pytest.mark.parametrize(
    "http_status, body",
    [
        (200, json.dumps({"message": "no status", "data": {"info": {}}})),
        (200, sanar(1006, "?")),
        (200, sanar(True, "?")),
        (200, sanar(1000.0, "?")),
        (200, sanar("1000x", "?")),
        (200, sanar(1000, "no data")),
        (200, json.dumps({"status": 1000, "data": {"info": []}})),
        (200, json.dumps({"status": 1000, "data": "x"})),
        (502, "<html><body><h1>502 Bad Gateway</h1></body></html>"),
        (200, "  <!DOCTYPE html><html></html>"),
        (200, "not json"),
        (200, ""),
        (200, "[1, 2]"),
        (200, b"\xff\xfe"),
        (500, sanar(1000, "ok", {})),
        (302, ""),
    ],
)
def test_sanar_unreadable_answers_are_bad_responses(http_status, body):
    with pytest.raises(BadResponse) as excinfo:
        parse_sanar(http_status, body)
    assert excinfo.value.retry_safe is False
    assert excinfo.value.http_status == http_status


@pytest.mark.parametrize("body", ["Service Unavailable", "<html>503</html>", json.dumps({"message": "down"})])
def test_sanar_http_503_without_a_status_is_a_server_error(body):
    with pytest.raises(ServerError) as excinfo:
        parse_sanar(503, body)
    assert excinfo.value.retry_safe is True


# --- Sandicare ---


def test_sandicare_200_json_object():
    assert parse_sandicare(200, json.dumps({"url": "https://x.test/"})) == {"url": "https://x.test/"}


@pytest.mark.parametrize(
    "http_status, error_class",
    [(400, ValidationFailed), (401, Unauthorized), (404, NotFound), (503, ServerError)],
)
def test_sandicare_error_statuses_carry_the_message(http_status, error_class):
    body = json.dumps({"error": "some_code", "message": "Readable text"})
    with pytest.raises(error_class) as excinfo:
        parse_sandicare(http_status, body)
    assert excinfo.value.partner_message == "Readable text"
    assert excinfo.value.body_status == "some_code"


@pytest.mark.parametrize("body", ["", "<html>oops</html>", "[]", json.dumps({"message": 5})])
def test_sandicare_error_statuses_without_a_readable_body_keep_their_class(body):
    with pytest.raises(NotFound) as excinfo:
        parse_sandicare(404, body)
    assert excinfo.value.partner_message


@pytest.mark.parametrize(
    "http_status, body",
    [
        (502, "<html>Bad Gateway</html>"),
        (500, "{}"),
        (201, "{}"),
        (301, ""),
        (200, "nope"),
        (200, "[]"),
        (200, "<html/>"),
    ],
)
def test_sandicare_other_answers_are_bad_responses(http_status, body):
    with pytest.raises(BadResponse) as excinfo:
        parse_sandicare(http_status, body)
    assert excinfo.value.http_status == http_status


# --- links ---


@pytest.mark.parametrize(
    "url", ["https://pay.sanar.example/checkout/SNR-1", "https://meet.nimbo.example:8443/room/8f3a?x=1#top"]
)
def test_absolute_https_urls_are_kept(url):
    assert require_https_url(url) == url


@pytest.mark.parametrize(
    "value",
    [
        "http://pay.sanar.example/checkout",
        "//pay.sanar.example/checkout",
        "/checkout/1",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "https://exa mple.com/",
        "https://example.com/\nSet-Cookie: x",
        "ftp://example.com/",
        "data:text/html,hi",
        "https://[::1/",
        "https://example.com:99999/",
        "https://" + "a" * 1000 + ".com/",
        "",
        None,
        42,
        ["https://x.test/"],
    ],
)
def test_anything_else_is_a_bad_response(value):
    with pytest.raises(BadResponse):
        require_https_url(value)


# --- prices ---


@pytest.mark.parametrize(
    "text, amount, currency",
    [
        ("SAR 90", "90", "SAR"),
        ("SAR 90.50", "90.50", "SAR"),
        ("90 SAR", "90", "SAR"),
        ("SAR 1,200", "1200", "SAR"),
        ("sar 1,200.5", "1200.5", "SAR"),
        ("  SAR90 ", "90", "SAR"),
        ("USD 0", "0", "USD"),
    ],
)
def test_pay_amount_is_parsed_into_amount_and_currency(text, amount, currency):
    assert parse_pay_amount(text) == Money(amount=Decimal(amount), currency=currency)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "SAR",
        "90",
        "SAR -90",
        "SAR 9,0",
        "SAR 1,20",
        "SAR 90.505",
        "SAR 1e3",
        "SAR NaN",
        "SR 90",
        "SAR 90 USD",
        "SAR 123456789",
        None,
        90,
    ],
)
def test_junk_pay_amount_raises_invalid_amount(text):
    with pytest.raises(InvalidAmount) as excinfo:
        parse_pay_amount(text)
    assert isinstance(excinfo.value, ValueError) and isinstance(excinfo.value, BadResponse)


@pytest.mark.parametrize(
    "price, currency, expected",
    [(90, "SAR", "90"), ("220.50", "sar", "220.50"), (90.5, "SAR", "90.5"), ("1,200", "SAR", "1200")],
)
def test_money_from_separate_fields(price, currency, expected):
    assert money(price, currency) == Money(amount=Decimal(expected), currency=currency.upper())


@pytest.mark.parametrize(
    "price, currency",
    [("free", "SAR"), (None, "SAR"), (True, "SAR"), (90, ""), (90, None), (90, "RIYAL"), (-1, "SAR"), (1e20, "SAR")],
)
def test_money_junk_raises_invalid_amount(price, currency):
    with pytest.raises(InvalidAmount):
        money(price, currency)


# --- nothing but our own errors, whatever arrives ---

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
json_values = st.recursive(
    json_scalars, lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3)
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from([1000, "1000", 1001, "1003", 1005, 5000, "x", None, 1.5, True]) | json_values,
        "message": json_values,
        "data": st.fixed_dictionaries({}, optional={"info": json_values}) | json_values,
    },
)
bodies = st.text() | st.binary() | envelopes.map(json.dumps) | json_values.map(json.dumps)


@given(st.integers(min_value=100, max_value=599), bodies)
def test_envelope_parsers_raise_only_partner_errors(http_status, body):
    for parser in (parse_sanar, parse_sandicare):
        try:
            result = parser(http_status, body)
        except PartnerError:
            continue
        assert isinstance(result, dict)


@given(st.text() | json_scalars)
def test_pay_amount_raises_only_invalid_amount(text):
    try:
        result = parse_pay_amount(text)
    except InvalidAmount:
        return
    assert result.amount >= 0 and len(result.currency) == 3


@given(json_scalars, json_scalars)
def test_money_raises_only_invalid_amount(price, currency):
    try:
        result = money(price, currency)
    except InvalidAmount:
        return
    assert result.amount >= 0 and result.currency.isupper()


@given(st.text() | json_scalars | st.text().map(lambda t: "https://" + t))
def test_require_https_url_raises_only_bad_response(value):
    try:
        result = require_https_url(value)
    except BadResponse:
        return
    assert result.lower().startswith("https://")
