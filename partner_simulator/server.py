"""The partner simulator's HTTP server: stdlib ``http.server``, one thread per connection.

No Django request handling and no database: it answers from ``data`` and in-memory state,
so it can run beside the portal (``manage.py run_partner_simulator``) or inside a test.
Built on sockets directly so that faults can misbehave at the connection level.
"""

import contextlib
import logging
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from partner_simulator import control, faults, routes, shapes, unifonic
from partner_simulator.protocol import Headers, Reply, SimRequest, parse_json
from partner_simulator.signing import query_payload
from partner_simulator.state import DEFAULT_READ_TIMEOUT_SLEEP_S, DEFAULT_RECEIPT_DELAY_S, SimulatorState

logger = logging.getLogger("partner_simulator")
MAX_BODY_BYTES = 1_000_000
STORED_BODY_CHARS = 10_000


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a pooled client expects
    server_version = "PartnerSimulator/1.0"
    timeout = 60  # an idle keep-alive connection is closed after this
    # Headers and body go out in two writes; with Nagle's algorithm the body would wait for the
    # client's delayed ACK, adding ~40 ms to every answer on a keep-alive connection.
    disable_nagle_algorithm = True

    def do_GET(self):
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def log_message(self, format, *args):
        """Silenced: ``_serve`` writes one line per request, without headers or bodies."""

    def _serve(self) -> None:
        simulator = self.server.simulator
        state = simulator.state
        started = time.monotonic()
        split = urlsplit(self.path)
        body = self._read_body()
        if body is None:
            return
        if split.path == control.PREFIX or split.path.startswith(control.PREFIX + "/"):
            self._send(control.handle(simulator, self.command, split.path, split.query, body))
            return
        target = routes.resolve(self.command, split.path)
        route = target if isinstance(target, routes.Route) else None
        operation = route.operation if route else None
        json_body, json_error = parse_json(body)
        headers = Headers(self.headers.items())
        state.record_request(
            {
                "operation": operation,
                "method": self.command,
                "path": split.path,
                "query": query_payload(split.query),
                "headers": headers,
                "json": json_body,
                "body": body.decode("utf-8", "replace")[:STORED_BODY_CHARS],
            }
        )
        state.sleep(state.latency_ms / 1000)
        fault = state.faults.take(operation) if route else None
        if fault and fault.kind == faults.CONNECTION_RESET:
            self._reset_connection()
            simulator.log_request(self.command, split.path, operation, None, fault.kind, started)
            return
        if route is None:
            reply = target
        elif fault and fault.kind not in faults.AFTER_HANDLER:
            reply = faults.fault_reply(fault, status_as_str=route.status_as_str)
        else:
            request = SimRequest(
                self.command,
                split.path,
                split.query,
                headers,
                body,
                json_body,
                json_error,
                routes.environment_of(split.path),
            )
            reply = self._call(route, request, state)
            if fault and fault.kind == faults.NOT_HTTPS_URL and reply.created:
                reply = reply.with_plain_http_url()
            elif fault and fault.kind in faults.SHAPE_FAULTS:
                reply = shapes.reshape(route.operation, reply, fault.kind)
            elif fault and fault.kind == faults.READ_TIMEOUT:
                state.sleep(state.read_timeout_sleep_s if fault.sleep_s is None else fault.sleep_s)
                self.close_connection = True
        self._send(reply)
        simulator.log_request(self.command, split.path, operation, reply, fault.kind if fault else None, started)

    @staticmethod
    def _call(route: routes.Route, request: SimRequest, state) -> Reply:
        try:
            return route.handler(request, state)
        except Exception:
            logger.exception("simulator handler %s failed", route.operation)
            return Reply(500, {"status": 5000, "message": "Server error", "data": {}})

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():  # trailers
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self.close_connection = True
            self._send(Reply(400, {"error": "bad_request", "message": "Invalid Content-Length."}))
            return None
        return self.rfile.read(length) if length else b""

    def _send(self, reply: Reply) -> None:
        body = reply.body()
        content_type = reply.content_type + (
            "; charset=utf-8" if reply.content_type in ("application/json", "text/html") else ""
        )
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:  # the client gave up (read timeout) or reset the connection
            self.close_connection = True

    def _reset_connection(self) -> None:
        """Close without answering, with an RST instead of a FIN (SO_LINGER 0)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()  # drops the makefile reference, so close() really closes the socket
            self.connection.close()
        except OSError:
            pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a request thread still sleeping never blocks shutdown
    allow_reuse_address = True

    def __init__(self, address, simulator):
        self.simulator = simulator
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _RequestHandler)

    def process_request_thread(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._connections_lock:
                self._connections.discard(request)

    def close_open_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class PartnerSimulator:
    """The three partner APIs on one port, plus the switches tests and benchmarks use.

    ``PartnerSimulator(port=0).start()`` serves from a background thread on a free port;
    ``serve_forever()`` serves from the calling thread until interrupted.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        latency_ms: int = 0,
        read_timeout_sleep_s: float = DEFAULT_READ_TIMEOUT_SLEEP_S,
        log_line=None,
        today=None,
        receipt_urls: dict[str, str] | None = None,
        receipt_delay_s: float = DEFAULT_RECEIPT_DELAY_S,
    ):
        self.state = SimulatorState(
            latency_ms=latency_ms,
            read_timeout_sleep_s=read_timeout_sleep_s,
            today=today,
            receipt_urls=receipt_urls,
            receipt_delay_s=receipt_delay_s,
        )
        self._log_line = log_line
        self._httpd = _HTTPServer((host, port), self)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self._httpd.server_address[0]

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def base_url(self, partner_code: str) -> str:
        """Base URL of one API: ``sanar_video``, ``sanar_vaccination``, ``sandicare`` (sandbox), ``sandicare_production``."""
        if partner_code not in routes.BASE_PATHS:
            raise ValueError(f"unknown partner code {partner_code!r}; one of: {', '.join(routes.BASE_PATHS)}")
        return self.url + routes.BASE_PATHS[partner_code]

    # --- running ------------------------------------------------------------------------
    def start(self) -> "PartnerSimulator":
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="partner-simulator", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self._close()

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._close()

    def _close(self) -> None:
        self.state.stopping.set()
        self._httpd.close_open_connections()
        self._httpd.server_close()

    def __enter__(self) -> "PartnerSimulator":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def log_request(self, method, path, operation, reply: Reply | None, fault, started) -> None:
        """One line per partner request: never headers or bodies, so never a secret."""
        status = reply.status if reply else "reset"
        body_status = reply.body_status() if reply else None
        line = f"{method} {path} op={operation or '-'} -> {status}"
        if body_status is not None:
            line += f" status={body_status}"
        if fault:
            line += f" fault={fault}"
        line += f" {(time.monotonic() - started) * 1000:.0f}ms"
        if self._log_line:
            self._log_line(line)
        else:
            logger.debug(line)

    # --- switches -----------------------------------------------------------------------
    def inject(self, operation: str, fault: str, times: int = 1, sleep_s: float | None = None) -> None:
        self.state.faults.inject(operation, fault, times, sleep_s=sleep_s)

    def faults(self) -> list[dict]:
        return self.state.faults.active()

    def set_latency(self, ms: int) -> None:
        self.state.set_latency(ms)

    def set_read_timeout_sleep(self, seconds: float) -> None:
        self.state.set_read_timeout_sleep(seconds)

    def received(self, operation: str | None = None) -> list[dict]:
        return self.state.received(operation)

    def successful_creates(self, operation: str) -> int:
        return self.state.successful_creates(operation)

    def creates(self, operation: str | None = None) -> list[dict]:
        return self.state.creates(operation)

    def reset(self) -> None:
        self.state.reset()

    # --- SMS and WhatsApp (Unifonic) ------------------------------------------------------
    def outbox(self, channel: str | None = None) -> list[dict]:
        """The SMS and WhatsApp messages received: id, channel, to, sender, text, receipts."""
        return self.state.outbox(channel)

    def set_receipts(self, *, urls: dict[str, str] | None = None, delay_s: float | None = None) -> None:
        self.state.set_receipts(urls=urls, delay_s=delay_s)

    def receipt_request(self, message_id: str, word: str | None = None) -> tuple[str, bytes]:
        """(content type, body) of the receipt Unifonic would post for a received message."""
        entry = self.state.outbox_entry(message_id)
        if entry is None:
            raise KeyError(message_id)
        return unifonic.receipt_request(entry, word)
