"""The partner client: headers, timeouts, no automatic retry, one row per attempt, typed errors.

``SANAR_FAULTS`` and ``SANDICARE_FAULTS`` are the contract's failure cases; the adapter
tests run them against every adapter function.
"""

import http.client
import logging
import socket
import struct
import threading

import pytest
import requests
import responses
from django.db import transaction
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError, ProtocolError

from partner_simulator import demo_keys
from partners import client as partner_client
from partners.client import PartnerClient
from partners.errors import (
    BadResponse,
    ConnectionFailed,
    NotFound,
    ServerError,
    SignatureMismatch,
    SlotUnavailable,
    TimeoutAfterSend,
    TimeoutBeforeSend,
    Unauthorized,
    ValidationFailed,
)
from partners.models import Credential, UpstreamCall
from partners.signing import canonical_json, cmt_signature

SANAR = "https://sanar.test/v1"
SANDICARE = "https://sandicare.test/api/v1"


def envelope(status, message="", info=None):
    body = {"status": status, "message": message}
    if info is not None:
        body["data"] = {"info": info}
    return body


def refused():
    reason = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/v1/book", reason))


def dns_failure():
    reason = NameResolutionError("sanar.test", None, socket.gaierror(-2, "Name or service not known"))
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/v1/book", reason))


def reset():
    return requests.exceptions.ConnectionError(
        ProtocolError("Connection aborted.", ConnectionResetError(104, "Connection reset by peer"))
    )


def remote_disconnected():
    return requests.exceptions.ConnectionError(
        ProtocolError("Connection aborted.", http.client.RemoteDisconnected("Remote end closed connection"))
    )


# (mocked answer, error class, outcome, retry_safe)
TRANSPORT_FAULTS = [
    pytest.param(
        {"body": requests.exceptions.ConnectTimeout()},
        TimeoutBeforeSend,
        "timeout_before_send",
        True,
        id="connect-timeout",
    ),
    pytest.param(
        {"body": requests.exceptions.ReadTimeout()}, TimeoutAfterSend, "timeout_after_send", False, id="read-timeout"
    ),
    pytest.param({"body": refused()}, ConnectionFailed, "connection_error", True, id="refused"),
    pytest.param({"body": dns_failure()}, ConnectionFailed, "connection_error", True, id="dns"),
    pytest.param({"body": reset()}, ConnectionFailed, "connection_error", False, id="reset"),
    pytest.param(
        {"body": remote_disconnected()}, ConnectionFailed, "connection_error", False, id="remote-disconnected"
    ),
]
SANAR_FAULTS = [
    pytest.param(
        {"json": envelope(1001, "Mobile number is invalid")}, ValidationFailed, "validation", False, id="1001"
    ),
    pytest.param({"json": envelope("1002", "Token expired")}, Unauthorized, "unauthorized", False, id="1002"),
    pytest.param({"json": envelope(1004, "Doctor not found")}, NotFound, "not_found", False, id="1004"),
    pytest.param({"json": envelope("1005", "Slot taken")}, SlotUnavailable, "slot_unavailable", False, id="1005"),
    pytest.param({"json": envelope(5000, "Internal error")}, ServerError, "server_error", True, id="5000"),
    pytest.param({"json": envelope("5000"), "status": 500}, ServerError, "server_error", True, id="5000-http-500"),
    pytest.param(
        {"json": {"message": "ok", "data": {"info": {}}}}, BadResponse, "bad_response", False, id="missing-status"
    ),
    pytest.param({"json": envelope(1234, "?", {})}, BadResponse, "bad_response", False, id="unknown-status"),
    pytest.param({"json": envelope(1000, "ok")}, BadResponse, "bad_response", False, id="1000-without-info"),
    pytest.param(
        {"json": envelope(1000, "ok", {}), "status": 500}, BadResponse, "bad_response", False, id="1000-with-http-500"
    ),
    pytest.param(
        {"body": "<html><body>502 Bad Gateway</body></html>", "status": 502, "content_type": "text/html"},
        BadResponse,
        "bad_response",
        False,
        id="html-502",
    ),
    pytest.param({"body": "OK", "content_type": "text/plain"}, BadResponse, "bad_response", False, id="non-json"),
    pytest.param({"json": ["not", "an", "object"]}, BadResponse, "bad_response", False, id="json-list"),
    pytest.param({"body": "Service Unavailable", "status": 503}, ServerError, "server_error", True, id="http-503"),
    pytest.param(
        {"status": 302, "headers": {"Location": "https://elsewhere.test/"}},
        BadResponse,
        "bad_response",
        False,
        id="redirect",
    ),
    *TRANSPORT_FAULTS,
]
SANDICARE_FAULTS = [
    pytest.param(
        {"json": {"error": "invalid_request", "message": "dateOfBirth must be YYYY-MM-DD"}, "status": 400},
        ValidationFailed,
        "validation",
        False,
        id="400",
    ),
    pytest.param(
        {"json": {"error": "unauthorized", "message": "Invalid API key"}, "status": 401},
        Unauthorized,
        "unauthorized",
        False,
        id="401",
    ),
    pytest.param(
        {"json": {"error": "not_found", "message": "No active subscription"}, "status": 404},
        NotFound,
        "not_found",
        False,
        id="404",
    ),
    pytest.param(
        {"json": {"error": "unavailable", "message": "Try again later"}, "status": 503},
        ServerError,
        "server_error",
        True,
        id="503",
    ),
    pytest.param(
        {"body": "<html>Service Unavailable</html>", "status": 503}, ServerError, "server_error", True, id="503-html"
    ),
    pytest.param(
        {"body": "<html>Bad Gateway</html>", "status": 502, "content_type": "text/html"},
        BadResponse,
        "bad_response",
        False,
        id="502-html",
    ),
    pytest.param({"json": {"error": "boom"}, "status": 500}, BadResponse, "bad_response", False, id="500"),
    pytest.param({"json": {"url": "https://x.test/"}, "status": 201}, BadResponse, "bad_response", False, id="201"),
    pytest.param({"body": "not json", "status": 200}, BadResponse, "bad_response", False, id="200-non-json"),
    *TRANSPORT_FAULTS,
]


def sanar_get(credential, **kwargs):
    return PartnerClient(credential).request(operation="slots", method="GET", path="/slots", **kwargs)


# --- headers ---


def test_signed_sanar_call_sends_raw_token_and_cmt(mock_http, sanar_video_credential, settings):
    mock_http.get(f"{SANAR}/slots", json=envelope(1000, "ok", {"doctor_id": "EMP86190"}))
    payload = {"doctor_id": "EMP86190", "date": "2026-04-28"}

    sanar_get(sanar_video_credential, payload=payload, signed=True)

    headers = mock_http.calls[0].request.headers
    assert headers["Authorization"] == demo_keys.SANAR_TOKEN  # no "Bearer " by default
    assert headers["Cmt"] == cmt_signature(
        {"date": "2026-04-28", "doctor_id": "EMP86190"}, secret=demo_keys.SANAR_CMT_SECRET
    )
    assert headers["Content-Type"] == "application/json"
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"] == settings.PARTNER_USER_AGENT
    assert "x-api-key" not in headers
    assert mock_http.calls[0].request.url == f"{SANAR}/slots?doctor_id=EMP86190&date=2026-04-28"


def test_authorization_prefix_and_cmt_settings_are_honoured(mock_http, sanar_video_credential):
    sanar_video_credential.auth_prefix = "Bearer "
    sanar_video_credential.cmt_algorithm = "sha512"
    sanar_video_credential.cmt_encoding = "base64"
    mock_http.post(f"{SANAR}/book", json=envelope(1000, "ok", {}))
    payload = {"slot_id": "S-0900", "patient": {"name": "محمد"}}

    PartnerClient(sanar_video_credential).request(
        operation="book", method="POST", path="/book", payload=payload, signed=True
    )

    request = mock_http.calls[0].request
    assert request.headers["Authorization"] == f"Bearer {demo_keys.SANAR_TOKEN}"
    assert request.headers["Cmt"] == cmt_signature(
        payload, secret=demo_keys.SANAR_CMT_SECRET, algorithm="sha512", encoding="base64"
    )
    assert request.body == canonical_json(payload).encode("utf-8")  # the signed bytes are the sent bytes


def test_unsigned_sanar_call_sends_no_auth_headers(mock_http, sanar_vaccination_credential):
    mock_http.post("https://sanar-kids.test/v1/services", json=envelope(1000, "ok", {"services": []}))

    PartnerClient(sanar_vaccination_credential).request(
        operation="services", method="POST", path="/services", payload={"prd_id": "P"}
    )

    headers = mock_http.calls[0].request.headers
    assert not {"Authorization", "Cmt", "x-api-key"} & set(headers)


@pytest.fixture
def fresh_environment_settings():
    partner_client.environment_settings.cache_clear()
    yield
    partner_client.environment_settings.cache_clear()


def test_a_netrc_entry_for_the_partner_host_adds_no_credentials(
    mock_http, sanar_vaccination_credential, monkeypatch, tmp_path, fresh_environment_settings
):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine sanar-kids.test login someone password not-for-the-partner\n")
    monkeypatch.setenv("NETRC", str(netrc))
    mock_http.post("https://sanar-kids.test/v1/services", json=envelope(1000, "ok", {"services": []}))

    PartnerClient(sanar_vaccination_credential).request(
        operation="services", method="POST", path="/services", payload={"prd_id": "P"}
    )

    assert "Authorization" not in mock_http.calls[0].request.headers


def test_the_environment_proxy_and_ca_bundle_are_used_by_requests_rules(
    mock_http, sanar_video_credential, monkeypatch, tmp_path, fresh_environment_settings
):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("NO_PROXY", "sandicare.test")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    mock_http.get(f"{SANAR}/specialities", json=envelope(1000, "ok", {"specialities": []}))

    PartnerClient(sanar_video_credential).request(operation="specialities", method="GET", path="/specialities")

    sent_with = mock_http.calls[0].request.req_kwargs
    assert sent_with["proxies"]["https"] == "http://127.0.0.1:3128"
    assert sent_with["verify"] == str(bundle)
    assert partner_client.environment_settings("https://sandicare.test")["proxies"] == {}


def test_sandicare_call_sends_only_the_api_key(mock_http, sandicare_credential):
    mock_http.post(f"{SANDICARE}/meetings/enroll", json={"url": "https://x.test/"})

    PartnerClient(sandicare_credential).request(
        operation="enroll", method="POST", path="/meetings/enroll", payload={}, signed=True
    )

    headers = mock_http.calls[0].request.headers
    assert headers["x-api-key"] == demo_keys.SANDICARE_SANDBOX_KEY
    assert "Authorization" not in headers and "Cmt" not in headers


def test_explicit_connect_and_read_timeouts(mock_http, sanar_video_credential, settings):
    settings.PARTNER_CONNECT_TIMEOUT, settings.PARTNER_READ_TIMEOUT = 1.5, 7.0
    mock_http.get(f"{SANAR}/slots", json=envelope(1000, "ok", {}))

    sanar_get(sanar_video_credential)

    assert mock_http.calls[0].request.req_kwargs["timeout"] == (1.5, 7.0)


def test_one_pooled_session_that_never_retries_by_itself():
    session = partner_client.session()
    assert partner_client.session() is session
    adapter = session.get_adapter("https://sanar.test/")
    assert adapter.max_retries.total == 0
    assert adapter.max_retries.read is False


# --- one row per attempt ---


def test_success_writes_one_row(mock_http, sanar_video_credential):
    mock_http.get(f"{SANAR}/slots", json=envelope("1000", "ok", {"doctor_id": "EMP86190"}))

    info = sanar_get(sanar_video_credential, payload={"doctor_id": "EMP86190"}, signed=True, attempt=3)

    assert info == {"doctor_id": "EMP86190"}
    call = UpstreamCall.objects.get()
    assert (call.operation, call.method, call.attempt, call.outcome) == ("slots", "GET", 3, "ok")
    assert (call.http_status, call.body_status) == (200, "1000")
    assert call.url == f"{SANAR}/slots?doctor_id=EMP86190"
    assert call.request_body == {"doctor_id": "EMP86190"}
    assert call.latency_ms is not None and call.error == ""
    assert call.credential == sanar_video_credential and call.partner == sanar_video_credential.partner


@pytest.mark.parametrize("answer, error_class, outcome, retry_safe", SANAR_FAULTS)
def test_every_sanar_fault_is_typed_and_writes_one_row(
    mock_http, sanar_video_credential, answer, error_class, outcome, retry_safe
):
    mock_http.get(f"{SANAR}/slots", **answer)

    with pytest.raises(error_class) as excinfo:
        sanar_get(sanar_video_credential, payload={"doctor_id": "EMP86190"}, signed=True)

    error = excinfo.value
    call = UpstreamCall.objects.get()
    assert error.call == call
    assert (error.outcome, call.outcome, error.retry_safe) == (outcome, outcome, retry_safe)
    assert call.error and error.partner_message
    if "body" not in answer or not isinstance(answer["body"], Exception):
        assert call.http_status == error.http_status == answer.get("status", 200)


@pytest.mark.parametrize("answer, error_class, outcome, retry_safe", SANDICARE_FAULTS)
def test_every_sandicare_fault_is_typed_and_writes_one_row(
    mock_http, sandicare_credential, answer, error_class, outcome, retry_safe
):
    mock_http.post(f"{SANDICARE}/meetings/enroll", **answer)

    with pytest.raises(error_class) as excinfo:
        PartnerClient(sandicare_credential).request(operation="enroll", method="POST", path="/meetings/enroll")

    assert excinfo.value.call == UpstreamCall.objects.get()
    assert (excinfo.value.call.outcome, excinfo.value.retry_safe) == (outcome, retry_safe)


def test_partner_message_of_an_error_is_kept_for_staff(mock_http, sandicare_credential):
    mock_http.post(
        f"{SANDICARE}/meetings/enroll",
        status=404,
        json={"error": "subscription_not_found", "message": "No active subscription"},
    )

    with pytest.raises(NotFound) as excinfo:
        PartnerClient(sandicare_credential).request(operation="enroll", method="POST", path="/meetings/enroll")

    assert excinfo.value.partner_message == "No active subscription"
    assert (
        excinfo.value.body_status == excinfo.value.call.body_status == "subscription_not_found"
    )  # whole, as the timeline shows it


def test_connection_error_says_whether_the_request_was_sent(mock_http, sanar_video_credential):
    mock_http.post(f"{SANAR}/book", body=refused())
    with pytest.raises(ConnectionFailed) as not_sent:
        PartnerClient(sanar_video_credential).request(operation="book", method="POST", path="/book", signed=True)
    mock_http.replace(responses.POST, f"{SANAR}/book", body=reset())
    with pytest.raises(ConnectionFailed) as sent:
        PartnerClient(sanar_video_credential).request(operation="book", method="POST", path="/book", signed=True)

    assert (not_sent.value.request_sent, not_sent.value.retry_safe) == (False, True)
    assert (sent.value.request_sent, sent.value.retry_safe) == (True, False)
    assert UpstreamCall.objects.count() == 2


def test_a_shape_the_parser_cannot_read_is_a_bad_response_on_the_row(mock_http, sanar_video_credential):
    mock_http.get(f"{SANAR}/slots", json=envelope(1000, "ok", {"slots": "nope"}))

    with pytest.raises(BadResponse) as excinfo:
        sanar_get(sanar_video_credential, parse=lambda info: [slot["slot_id"] for slot in info["slots"]])

    assert excinfo.value.call.outcome == "bad_response"
    assert excinfo.value.call.http_status == 200


def test_response_body_is_stored_capped(mock_http, sanar_video_credential, settings):
    settings.PARTNER_STORED_BODY_MAX_CHARS = 200
    mock_http.get(f"{SANAR}/slots", body="<html>" + "x" * 5000 + "</html>", status=502)

    with pytest.raises(BadResponse):
        sanar_get(sanar_video_credential)

    stored = UpstreamCall.objects.get().response_body
    assert len(stored) <= 200 and stored.startswith("<html>xxx") and "truncated" in stored


def test_calls_inside_a_transaction_are_refused(mock_http, sanar_video_credential, settings):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = True

    with pytest.raises(RuntimeError, match="outside a database transaction"), transaction.atomic():
        sanar_get(sanar_video_credential)

    assert len(mock_http.calls) == 0
    assert not UpstreamCall.objects.exists()


def test_unauthorized_marks_the_credential_failing_and_a_signed_success_clears_it(mock_http, sanar_video_credential):
    mock_http.get(f"{SANAR}/slots", json=envelope(1002, "Token expired"))
    with pytest.raises(Unauthorized):
        sanar_get(sanar_video_credential, signed=True)
    stored = Credential.objects.get(pk=sanar_video_credential.pk)
    assert stored.is_failing and "Token expired" in stored.failing_reason and stored.failing_since

    mock_http.replace(responses.GET, f"{SANAR}/slots", json=envelope(1000, "ok", {}))
    sanar_get(sanar_video_credential, signed=False)
    assert Credential.objects.get(pk=sanar_video_credential.pk).is_failing  # an unsigned call proves nothing
    sanar_get(sanar_video_credential, signed=True)
    assert not Credential.objects.get(pk=sanar_video_credential.pk).is_failing


def test_signature_mismatch_on_a_single_call_is_raised_as_is(mock_http, sanar_video_credential):
    mock_http.get(f"{SANAR}/slots", json=envelope(1003, "Bad Cmt"))
    with pytest.raises(SignatureMismatch):
        sanar_get(sanar_video_credential, signed=True)
    assert UpstreamCall.objects.count() == 1  # re-signing is the adapters' rule, not the client's


def test_one_log_line_per_attempt_without_secrets(mock_http, sanar_video_credential, caplog):
    caplog.set_level(logging.DEBUG)
    mock_http.get(f"{SANAR}/slots", json=envelope(1000, "ok", {}))
    sanar_get(sanar_video_credential, signed=True)
    mock_http.replace(responses.GET, f"{SANAR}/slots", body=requests.exceptions.ReadTimeout())
    with pytest.raises(TimeoutAfterSend):
        sanar_get(sanar_video_credential, signed=True)

    lines = [r for r in caplog.records if r.name == "partners.client"]
    assert len(lines) == 2
    assert "slots" in lines[0].getMessage() and "ok" in lines[0].getMessage()
    assert "timeout_after_send" in lines[1].getMessage() and lines[1].levelno == logging.WARNING
    for record in lines:
        assert demo_keys.SANAR_TOKEN not in record.getMessage()


# --- real sockets: the classification holds for what requests really raises ---


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_once(handler) -> tuple[int, threading.Thread]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def run():
        connection, _ = server.accept()
        try:
            handler(connection)
        finally:
            connection.close()
            server.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return server.getsockname()[1], thread


def _local(credential, port):
    credential.base_url = f"http://127.0.0.1:{port}/v1"
    return credential


def test_real_refused_connection_is_retry_safe(sanar_video_credential):
    with pytest.raises(ConnectionFailed) as excinfo:
        sanar_get(_local(sanar_video_credential, _closed_port()), signed=True)
    assert excinfo.value.request_sent is False and excinfo.value.retry_safe is True


def test_real_reset_after_sending_is_not_retry_safe(sanar_video_credential):
    def read_then_reset(connection):
        connection.recv(65536)
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close → RST

    port, thread = _serve_once(read_then_reset)
    with pytest.raises(ConnectionFailed) as excinfo:
        PartnerClient(_local(sanar_video_credential, port)).request(
            operation="book", method="POST", path="/book", payload={"a": 1}, signed=True
        )
    thread.join(5)
    assert excinfo.value.request_sent is True and excinfo.value.retry_safe is False


def test_real_read_timeout_is_timeout_after_send(sanar_video_credential, settings):
    settings.PARTNER_READ_TIMEOUT = 0.3
    release = threading.Event()

    def read_and_stay_silent(connection):
        connection.recv(65536)
        release.wait(5)

    port, thread = _serve_once(read_and_stay_silent)
    with pytest.raises(TimeoutAfterSend) as excinfo:
        PartnerClient(_local(sanar_video_credential, port)).request(
            operation="book", method="POST", path="/book", payload={"a": 1}, signed=True
        )
    release.set()
    thread.join(5)
    assert excinfo.value.retry_safe is False
    assert UpstreamCall.objects.get().outcome == "timeout_after_send"


def test_stored_url_never_holds_userinfo():
    assert partner_client.storable_url("https://user:pa55word@sanar.test:8443/v1/slots?date=2026-04-28") == (
        "https://sanar.test:8443/v1/slots?date=2026-04-28"
    )
