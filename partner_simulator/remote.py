"""Drive a simulator running in another process (``run_partner_simulator``) over ``/_sim``.

Same switches as ``PartnerSimulator``: ``RemoteSimulator("http://127.0.0.1:8100").inject(...)``.
"""

import json
import urllib.request
from urllib.parse import urlencode

from partner_simulator import routes


class RemoteSimulator:
    def __init__(self, url: str, timeout: float = 5.0):
        if not url.startswith(("http://", "https://")):
            raise ValueError("the simulator URL must be http(s)")
        self.url = url.rstrip("/")
        self.timeout = timeout

    def base_url(self, partner_code: str) -> str:
        return self.url + routes.BASE_PATHS[partner_code]

    def _call(self, method: str, name: str, payload: dict | None = None, **params) -> dict:
        query = urlencode({k: v for k, v in params.items() if v is not None})
        request = urllib.request.Request(  # noqa: S310 (http(s) only, checked in __init__)
            f"{self.url}/_sim/{name}" + (f"?{query}" if query else ""),
            data=None if payload is None else json.dumps(payload).encode(),
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            return json.loads(response.read())

    def health(self) -> dict:
        return self._call("GET", "health")

    def inject(self, operation: str, fault: str, times: int = 1, sleep_s: float | None = None) -> None:
        self._call("POST", "faults", {"operation": operation, "fault": fault, "times": times, "sleep_s": sleep_s})

    def faults(self) -> list[dict]:
        return self._call("GET", "faults")["faults"]

    def set_latency(self, ms: int) -> None:
        self._call("POST", "latency", {"ms": ms})

    def set_read_timeout_sleep(self, seconds: float) -> None:
        self._call("POST", "read-timeout-sleep", {"seconds": seconds})

    def received(self, operation: str | None = None) -> list[dict]:
        return self._call("GET", "received", operation=operation)["requests"]

    def successful_creates(self, operation: str) -> int:
        return self._call("GET", "creates", operation=operation)["count"]

    def creates(self, operation: str | None = None) -> list[dict]:
        return self._call("GET", "creates", operation=operation)["creates"]

    def reset(self) -> None:
        self._call("POST", "reset", {})

    def outbox(self, channel: str | None = None) -> list[dict]:
        return self._call("GET", "outbox", channel=channel)["messages"]

    def set_receipts(self, *, urls: dict[str, str] | None = None, delay_s: float | None = None) -> None:
        self._call("POST", "receipt-urls", {**(urls or {}), "delay_s": delay_s})

    def send_receipt(self, message_id: str, word: str | None = None, url: str | None = None) -> int:
        """Post a receipt for a received message now; the portal's HTTP status."""
        return self._call("POST", "receipts", {"id": message_id, "word": word, "url": url})["status"]
