"""The one door to the partners: a pooled HTTP session, signed headers, one logged row per attempt.

Only this module imports ``requests``. Every attempt writes exactly one ``UpstreamCall``
row, whatever the outcome, and every failure is raised as a typed ``PartnerError``
carrying that row. Nothing is retried here: a retried create call is a second booking
(CONTRACT.md §5), so retrying is the caller's decision, made from ``retry_safe``.
"""

import functools
import logging
import os
import socket
import ssl
import time
from collections.abc import Callable
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
import urllib3
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils.translation import gettext_noop
from requests.adapters import HTTPAdapter

from monitoring import metrics
from partners import answers, credentials, redaction
from partners.errors import (
    BadResponse,
    ConnectionFailed,
    PartnerError,
    TimeoutAfterSend,
    TimeoutBeforeSend,
    Unauthorized,
)
from partners.models import Partner, UpstreamCall
from partners.models.upstream_call import side_of
from partners.responses import parse_sanar, parse_sandicare
from partners.signing import canonical_json, cmt_signature, query_payload

logger = logging.getLogger("partners.client")

URL_MAX = UpstreamCall._meta.get_field("url").max_length
BODY_STATUS_MAX = UpstreamCall._meta.get_field("body_status").max_length
# Causes that prove the connection was never established, so nothing reached the partner.
NOT_SENT_CAUSES = (
    urllib3.exceptions.NewConnectionError,
    ConnectionRefusedError,
    socket.gaierror,
    ssl.SSLCertVerificationError,
)
_session: requests.Session | None = None
_session_pid: int | None = None


def session() -> requests.Session:
    """The process-wide session; a forked worker builds its own pool instead of sharing sockets."""
    global _session, _session_pid
    if _session is None or _session_pid != os.getpid():
        new = requests.Session()
        # The environment is read once per partner origin (``environment_settings``), not on every call,
        # and a ~/.netrc entry never adds or replaces a partner call's Authorization header.
        new.trust_env = False
        # max_retries=0: urllib3 must never resend a request on its own (psf/requests#2975).
        adapter = HTTPAdapter(pool_connections=8, pool_maxsize=16, max_retries=0)
        new.mount("https://", adapter)
        new.mount("http://", adapter)
        # Cookies set by one partner must not travel with the next call.
        new.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        _session, _session_pid = new, os.getpid()
    return _session


@functools.lru_cache(maxsize=64)
def environment_settings(origin: str) -> dict[str, Any]:
    """The proxy and CA bundle the environment gives ``origin`` (``HTTPS_PROXY``, ``NO_PROXY``,
    ``REQUESTS_CA_BUNDLE``…), by requests' own rules. Read on every call, as requests does, it
    walked the whole environment twice: about 0.3 of the client's 3.7 ms of CPU per call."""
    return dict(requests.Session().merge_environment_settings(origin, {}, None, None, None))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def storable_url(url: str) -> str:
    """The URL without any user:password part, capped to the column."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        url = urlunsplit(parts._replace(netloc=netloc))
    return url[:URL_MAX]


def _causes(exc: BaseException):
    seen, pending = set(), [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked = [*current.args, getattr(current, "reason", None), current.__cause__, current.__context__]
        pending.extend(item for item in linked if isinstance(item, BaseException))


def request_was_sent(exc: BaseException) -> bool:
    """False only when the failure proves no connection was made; unknown counts as sent."""
    return not any(isinstance(cause, NOT_SENT_CAUSES) for cause in _causes(exc))


def transmit(method: str, url: str, body: bytes | None, headers: dict[str, str]) -> requests.Response:
    """One HTTP exchange on the pooled session, with the partner timeouts and no redirect; a failure
    to get an answer is raised as the typed error that says whether anything reached the other side."""
    timeout = (settings.PARTNER_CONNECT_TIMEOUT, settings.PARTNER_READ_TIMEOUT)
    error: PartnerError
    cause: Exception
    try:
        return session().request(
            method,
            url,
            data=body,
            headers=headers,
            timeout=timeout,
            allow_redirects=False,
            **environment_settings(_origin(url)),
        )
    except requests.exceptions.ConnectTimeout as exc:
        error = TimeoutBeforeSend()
        cause = exc
    except requests.exceptions.Timeout as exc:
        error = TimeoutAfterSend()
        cause = exc
    except requests.exceptions.ConnectionError as exc:
        sent = request_was_sent(exc)
        error = ConnectionFailed(
            gettext_noop(
                "The connection to the partner was lost after the request was sent; it may have been processed."
            )
            if sent
            else gettext_noop("The partner could not be reached; nothing was sent."),
            request_sent=sent,
        )
        cause = exc
    except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema):
        raise ConnectionFailed(gettext_noop("The partner's base URL is not valid."), request_sent=False) from None
    except Exception as exc:
        # Messages of other errors may quote header values: keep only the type.
        raise ConnectionFailed(
            f"The partner call failed ({type(exc).__name__}).", request_sent=request_was_sent(exc)
        ) from None
    error.detail = f"{type(cause).__name__}: {cause}"
    raise error from None


def refuse_inside_transaction() -> None:
    if getattr(settings, "PARTNER_FORBID_CALLS_IN_TRANSACTION", True) and transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "Partner calls must run outside a database transaction: commit first, then call the partner."
        )


class PartnerClient:
    def __init__(self, credential):
        self.credential = credential
        self.partner = credential.partner
        self.is_sandicare = self.partner.vendor == Partner.Vendor.SANDICARE

    def request(
        self,
        *,
        operation: str,
        method: str,
        path: str,
        payload: Any = None,
        signed: bool = False,
        booking=None,
        attempt: int = 1,
        parse: Callable[[dict], Any] | None = None,
    ) -> Any:
        """Send one attempt; return ``parse(data)`` (or the data), or raise a typed PartnerError.

        ``parse`` turns the success data into the adapter's result; a shape it cannot read
        is recorded on this attempt's row as a bad response.
        """
        self._refuse_inside_transaction()
        self._refuse_base_url_outside_rules()
        self._refuse_key_of_other_environment()
        method = method.upper()
        if method == "GET":
            signed_payload = query_payload(payload or {})
            url, body = self._url(path, signed_payload), None
        else:
            signed_payload = payload
            url, body = self._url(path), canonical_json(payload).encode("utf-8")
        headers = self._headers(signed_payload, signed=signed)
        secrets = self._secrets(headers)
        sensitive = secrets + self._personal(booking)
        call = UpstreamCall(
            partner=self.partner,
            credential=self.credential,
            booking=booking,
            operation=operation,
            method=method,
            url=storable_url(url),
            attempt=attempt,
            request_body=redaction.stored_request_body(signed_payload, sensitive=sensitive),
        )
        started = time.monotonic()
        response = result = error = None
        try:
            response = self._send(method, url, body, headers)
            answers.note(operation, response.status_code, response.content)
            result = self._read(response, parse)
        except PartnerError as exc:
            error = exc
        latency_ms = int((time.monotonic() - started) * 1000)
        self._record(call, response, error, secrets=secrets, sensitive=sensitive, latency_ms=latency_ms)
        self._update_health(error, authenticated=self.is_sandicare or signed)
        if error is not None:
            raise error
        return result

    def reach(self, *, operation: str) -> int:
        """GET the base URL itself, with no secret header; return the HTTP status of whatever answers.

        Any answer proves DNS, the connection and, over https, the certificate. The answer is not
        read as a partner answer: no contract path is called, so nothing is created upstream and
        nothing about the credential's secrets is learned.
        """
        self._refuse_inside_transaction()
        self._refuse_base_url_outside_rules()
        url = self.credential.base_url
        headers = {"Accept": "application/json", "User-Agent": settings.PARTNER_USER_AGENT}
        secrets = self._secrets(headers)
        call = UpstreamCall(
            partner=self.partner, credential=self.credential, operation=operation, method="GET", url=storable_url(url)
        )
        started = time.monotonic()
        response = error = None
        try:
            response = self._send("GET", url, None, headers)
        except PartnerError as exc:
            error = exc
        latency_ms = int((time.monotonic() - started) * 1000)
        self._record(call, response, error, secrets=secrets, sensitive=secrets, latency_ms=latency_ms)
        if error is not None or response is None:
            raise error or ConnectionFailed()
        return response.status_code

    # --- building the request ---

    def _url(self, path: str, query: dict[str, str] | None = None) -> str:
        url = self.credential.base_url.rstrip("/") + "/" + path.lstrip("/")
        return f"{url}?{urlencode(query)}" if query else url

    def _headers(self, signed_payload: Any, *, signed: bool) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": settings.PARTNER_USER_AGENT,
        }
        credential = self.credential
        if self.is_sandicare:
            headers["x-api-key"] = credential.api_key.strip()
        elif signed:
            headers["Authorization"] = f"{credential.auth_prefix}{credential.auth_token.strip()}"
            headers["Cmt"] = cmt_signature(
                signed_payload,
                secret=credential.cmt_secret,
                algorithm=credential.cmt_algorithm,
                encoding=credential.cmt_encoding,
            )
        return headers

    def _secrets(self, headers: dict[str, str]) -> list[str]:
        credential = self.credential
        values = [credential.auth_token, credential.cmt_secret, credential.api_key]
        values += [value.strip() for value in values if value]
        values += [value for key, value in headers.items() if key.lower() in redaction.SECRET_HEADERS]
        return [value for value in values if value]

    @staticmethod
    def _personal(booking) -> list[str]:
        if booking is None:
            return []
        values = [booking.patient_name, booking.guardian_name, booking.email, booking.mobile]
        values.append(booking.mobile.lstrip("+"))  # an echo may drop the plus sign
        return [value for value in values if value]

    def _refuse_base_url_outside_rules(self) -> None:
        # Credential.clean() refuses such a URL; a row saved around it must still never send a secret there.
        if reason := self.credential.base_url_error():
            credentials.mark_failing(self.credential, reason)
            raise Unauthorized(f"Not sent: {reason}")

    def _refuse_key_of_other_environment(self) -> None:
        # Credential.save() refuses such a key; a row changed around save() must still never send it.
        if self.is_sandicare and (reason := self.credential.key_prefix_error()):
            credentials.mark_failing(self.credential, reason)
            raise Unauthorized(f"Not sent: {reason}")

    def _refuse_inside_transaction(self) -> None:
        refuse_inside_transaction()

    # --- sending and reading ---

    def _send(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> requests.Response:
        return transmit(method, url, body, headers)

    def _read(self, response: requests.Response, parse: Callable[[dict], Any] | None) -> Any:
        parser = parse_sandicare if self.is_sandicare else parse_sanar
        data = parser(response.status_code, response.content)
        if parse is None:
            return data
        try:
            return parse(data)
        except PartnerError:
            raise
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise BadResponse(
                f"The partner's answer has an unexpected shape ({type(exc).__name__}).",
                http_status=response.status_code,
            ) from None

    # --- the row and the log line ---

    def _record(self, call, response, error: PartnerError | None, *, secrets, sensitive, latency_ms: int) -> None:
        record_attempt(
            call,
            response,
            error,
            caller=self.partner.code,
            ok_body_status="" if self.is_sandicare else "1000",
            secrets=secrets,
            sensitive=sensitive,
            latency_ms=latency_ms,
        )

    def _update_health(self, error: PartnerError | None, *, authenticated: bool) -> None:
        """1002 / 401 flags the credential; a success that proved the credential clears the flag."""
        if isinstance(error, Unauthorized):
            credentials.mark_failing(
                self.credential, f"{self.partner} rejected the credentials: {error.partner_message}"
            )
        elif error is None and authenticated and self.credential.is_failing:
            credentials.mark_healthy(self.credential)


def record_attempt(
    call: UpstreamCall,
    response: requests.Response | None,
    error: PartnerError | None,
    *,
    caller: str,
    ok_body_status: str,
    secrets: list[str],
    sensitive: list[str],
    latency_ms: int,
) -> None:
    """Fill and save ``call`` (one attempt, redacted), write its log line and count it. ``caller``
    names the partner product or message provider in the log and the metrics."""
    call.latency_ms = latency_ms
    if response is not None:
        call.http_status = response.status_code
        text = response.content.decode("utf-8", errors="replace")
        # PostgreSQL text cannot hold U+0000: a partner's NUL must not cost the attempt its row.
        call.response_body = redaction.stored_response_body(text, sensitive=sensitive).replace("\x00", "\ufffd")
    if error is None:
        call.outcome = UpstreamCall.Outcome.OK
        call.body_status = ok_body_status
    else:
        # The partner's message is shown to staff: no secret in it, even one the partner echoed.
        error.partner_message = redaction.scrub(error.partner_message, secrets)
        error.args = (error.partner_message,)
        error.body_status = redaction.scrub(str(error.body_status or ""), sensitive)[:BODY_STATUS_MAX]
        call.outcome = error.outcome
        call.body_status = error.body_status
        text = f"{error.partner_message} {error.detail}".strip()
        call.error = redaction.cap(redaction.scrub(text, sensitive))
        if error.http_status is None and response is not None:
            error.http_status = response.status_code
    try:
        call.save()
    except DatabaseError:
        # The partner already answered: losing the audit row must not lose the answer.
        logger.exception("could not store the partner call row for %s %s", caller, call.operation)
    if error is not None:
        error.call = call
    _log(call, caller)
    metrics.observe_partner_call(
        partner=caller,
        operation=call.operation,
        outcome=call.outcome,
        side=side_of(call.outcome),
        latency_ms=latency_ms,
    )


def _log(call: UpstreamCall, caller: str) -> None:
    level = logging.INFO if call.outcome == UpstreamCall.Outcome.OK else logging.WARNING
    logger.log(
        level,
        "partner call %s %s attempt %s: %s (http %s, body status %s, %s ms)",
        caller,
        call.operation,
        call.attempt,
        call.outcome,
        call.http_status,
        call.body_status or "-",
        call.latency_ms,
        extra={
            "partner_code": caller,
            "partner_operation": call.operation,
            "partner_outcome": call.outcome,
            "partner_http_status": call.http_status,
            "partner_latency_ms": call.latency_ms,
            "partner_call_id": call.pk,
            "booking_id": call.booking_id,
        },
    )
