"""Unifonic's calls through the one door, against a provider that misbehaves (``responses``,
nothing leaves the machine): every answer read as a typed outcome, and no key, number or text
of the message in any stored row, error or log line."""

import json
import logging
from urllib.parse import parse_qsl

import pytest
import requests
import responses

from partners.errors import BadResponse, ConnectionFailed, ServerError, Unauthorized, ValidationFailed
from partners.models import UpstreamCall
from partners.providers import unifonic

pytestmark = pytest.mark.django_db

SMS_URL = "https://el.cloud.unifonic.com/rest/SMS/messages"
WHATSAPP_URL = "https://apis.unifonic.com/v1/messages"
APP_SID, PUBLIC_ID, SECRET = "probe-appsid-7d1c93", "probe-public-88ab", "probe-secret-41fe0c"
MOBILE = "+966501234567"
TEXT = "Layla, your booking PB-1: https://pay.sanar.test/p/abc"


@pytest.fixture(autouse=True)
def keys(settings):
    settings.UNIFONIC_SMS_URL, settings.UNIFONIC_WHATSAPP_URL = (
        "https://el.cloud.unifonic.com",
        "https://apis.unifonic.com",
    )
    settings.UNIFONIC_APP_SID, settings.UNIFONIC_SENDER_ID = APP_SID, "Clinic"
    settings.UNIFONIC_PUBLIC_ID, settings.UNIFONIC_SECRET = PUBLIC_ID, SECRET


def echo(request):
    """A provider quoting back everything it was sent, headers included."""
    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    return 200, {}, json.dumps({"success": False, "errorCode": "ER-09", "message": f"{body} {dict(request.headers)}"})


def send(channel):
    if channel == "sms":
        return unifonic.send_sms(to=MOBILE, text=TEXT, reference="ref-1")
    return unifonic.send_whatsapp(to=MOBILE, text=TEXT, reference="ref-1")


def assert_nothing_leaks(error, caplog):
    kept = [
        json.dumps({f.name: str(getattr(row, f.attname)) for f in row._meta.concrete_fields}, ensure_ascii=False)
        for row in UpstreamCall.objects.all()
    ]
    kept += [record.getMessage() + str(record.__dict__) for record in caplog.records]
    kept.append(str(error))
    text = "\n".join(kept)
    for value in (APP_SID, PUBLIC_ID, SECRET, MOBILE, MOBILE.lstrip("+"), "Layla", "pay.sanar.test"):
        assert value not in text, value


@responses.activate
@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_an_echoing_provider_stores_and_logs_nothing_secret(channel, caplog):
    caplog.set_level(logging.INFO)
    url = SMS_URL if channel == "sms" else WHATSAPP_URL
    responses.add_callback(responses.POST, url, callback=echo)
    with pytest.raises((ValidationFailed, BadResponse)) as raised:
        send(channel)
    assert raised.value.call.provider == "unifonic" and raised.value.call.partner is None
    assert_nothing_leaks(raised.value, caplog)


@responses.activate
@pytest.mark.parametrize(
    ("answer", "error", "retry_safe"),
    [
        ({"status": 503, "body": "<html>down</html>"}, ServerError, True),
        ({"status": 401, "json": {"message": "no"}}, Unauthorized, False),
        ({"json": {"success": False, "errorCode": "ER-01", "message": "Invalid AppSid"}}, Unauthorized, False),
        ({"json": {"success": "false", "errorCode": "ER-10", "message": "Blocked"}}, ValidationFailed, False),
        ({"json": {"success": True, "data": {}}}, BadResponse, False),
        ({"json": ["not", "an", "object"]}, BadResponse, False),
        ({"body": "not json"}, BadResponse, False),
        ({"body": requests.exceptions.ConnectTimeout()}, Exception, True),
    ],
)
def test_each_sms_answer_is_a_typed_outcome(answer, error, retry_safe):
    responses.add(responses.POST, SMS_URL, **answer)
    with pytest.raises(error) as raised:
        send("sms")
    assert raised.value.retry_safe is retry_safe
    assert UpstreamCall.objects.get().outcome == raised.value.outcome


@responses.activate
def test_the_sms_is_sent_as_unifonic_documents_it():
    responses.add(
        responses.POST,
        SMS_URL,
        json={"success": "true", "errorCode": "ER-00", "data": {"MessageID": 4711, "Status": "Sent"}},
    )
    sent = send("sms")
    assert sent.provider_id == "4711" and sent.call.outcome == UpstreamCall.Outcome.OK
    form = dict(parse_qsl(responses.calls[0].request.body.decode()))
    assert (
        form["Recipient"] == "966501234567"
        and form["Body"] == TEXT
        and form["AppSid"] == APP_SID
        and form["responseType"] == "JSON"
    )
    assert responses.calls[0].request.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_a_provider_host_outside_the_rules_is_refused_before_sending(settings):
    settings.UNIFONIC_SMS_URL = "https://sms.attacker.example"
    with pytest.raises(Unauthorized, match="Not sent"):
        send("sms")
    assert not UpstreamCall.objects.exists()


@responses.activate
def test_a_connection_refused_is_safe_to_retry():
    responses.add(responses.POST, WHATSAPP_URL, body=requests.exceptions.ConnectionError(ConnectionRefusedError()))
    with pytest.raises(ConnectionFailed) as raised:
        send("whatsapp")
    assert raised.value.retry_safe is True


@pytest.mark.parametrize(
    ("reader", "fields", "expected"),
    [
        (unifonic.read_sms_receipt, {"MessageID": "4711", "DLR": "Delivered"}, ("4711", True)),
        (unifonic.read_sms_receipt, {"MessageID": "4711", "DLR": "Undeliverable"}, ("4711", False)),
        (unifonic.read_sms_receipt, {"MessageID": "", "DLR": "Delivered"}, None),
        (unifonic.read_whatsapp_receipt, {"messageId": "a-1", "eventType": "message.read"}, ("a-1", True)),
        (unifonic.read_whatsapp_receipt, {"messageId": "a-1", "eventType": "message.sent"}, ("a-1", None)),
        (unifonic.read_whatsapp_receipt, {"messageId": "a-1", "eventType": "conversation.closed"}, None),
    ],
)
def test_receipts_are_read_as_documented(reader, fields, expected):
    receipt = reader(fields)
    assert (receipt and (receipt.provider_id, receipt.delivered)) == expected
