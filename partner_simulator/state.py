"""The simulator's mutable state: bookings, successful creates, received requests, settings.

One lock guards everything, so a slot can be taken by exactly one of two concurrent calls.
"""

import collections
import datetime
import threading
import time

from partner_simulator import data
from partner_simulator.faults import FaultSwitches

RECEIVED_LOG_SIZE = 2000
DEFAULT_READ_TIMEOUT_SLEEP_S = 5.0
DEFAULT_RECEIPT_DELAY_S = 1.0


def _run_token() -> str:
    """Short, per-process part of generated ids, so ids stay unique across simulator restarts."""
    value, digits = int(time.time()), ""
    while value:
        value, rest = divmod(value, 36)
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rest] + digits
    return digits[-5:]


class SimulatorState:
    def __init__(
        self,
        *,
        latency_ms: int = 0,
        read_timeout_sleep_s: float = DEFAULT_READ_TIMEOUT_SLEEP_S,
        today=None,
        receipt_urls: dict[str, str] | None = None,
        receipt_delay_s: float = DEFAULT_RECEIPT_DELAY_S,
    ):
        self.lock = threading.RLock()
        self.faults = FaultSwitches()
        self.stopping = threading.Event()  # set on shutdown: wakes every sleeping request thread
        self.run_token = _run_token()
        self._counter = 0  # never reset, so ids stay unique after reset()
        self._today = today
        self._default_latency_ms = latency_ms
        self._default_read_timeout_sleep_s = read_timeout_sleep_s
        # Where Unifonic's delivery receipts go, by channel (sms, whatsapp); kept across reset().
        self.receipt_urls: dict[str, str] = dict(receipt_urls or {})
        self.receipt_delay_s = receipt_delay_s
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.taken_slots: dict[tuple, str] = {}
            self.create_log: list[dict] = []
            self.create_counts: collections.Counter = collections.Counter()
            self.received_log: collections.deque = collections.deque(maxlen=RECEIVED_LOG_SIZE)
            self.outbox_log: collections.deque = collections.deque(maxlen=RECEIVED_LOG_SIZE)
            self.latency_ms = self._default_latency_ms
            self.read_timeout_sleep_s = self._default_read_timeout_sleep_s
            self.faults.clear()

    def today(self) -> datetime.date:
        return self._today or data.partner_today()

    def set_latency(self, ms: int) -> None:
        if isinstance(ms, bool) or not isinstance(ms, int | float) or ms < 0:
            raise ValueError("latency must be a number of milliseconds >= 0")
        with self.lock:
            self.latency_ms = ms

    def set_read_timeout_sleep(self, seconds: float) -> None:
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ValueError("read timeout sleep must be a number of seconds >= 0")
        with self.lock:
            self.read_timeout_sleep_s = float(seconds)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.stopping.wait(seconds)

    def next_id(self, prefix: str) -> str:
        with self.lock:
            self._counter += 1
            return f"{prefix}-{self.run_token}-{self._counter:05d}"

    # --- slots and creates -------------------------------------------------------------
    def is_taken(self, key: tuple) -> bool:
        with self.lock:
            return key in self.taken_slots

    def take_slot(self, key: tuple, operation: str, prefix: str, **details) -> str | None:
        """Book ``key`` (owner, date, slot) and record the create; ``None`` if it is already taken."""
        with self.lock:
            if key in self.taken_slots:
                return None
            booking_id = self.next_id(prefix)
            self.taken_slots[key] = booking_id
            self.record_create(operation, booking_id=booking_id, **details)
            return booking_id

    def record_create(self, operation: str, **details) -> None:
        with self.lock:
            self.create_counts[operation] += 1
            self.create_log.append({"operation": operation, **details})

    def successful_creates(self, operation: str) -> int:
        with self.lock:
            return self.create_counts[operation]

    def creates(self, operation: str | None = None) -> list[dict]:
        with self.lock:
            return [dict(c) for c in self.create_log if operation is None or c["operation"] == operation]

    # --- received requests ------------------------------------------------------------
    def record_request(self, entry: dict) -> None:
        with self.lock:
            self.received_log.append(entry)

    def received(self, operation: str | None = None) -> list[dict]:
        with self.lock:
            return [dict(r) for r in self.received_log if operation is None or r["operation"] == operation]

    # --- SMS and WhatsApp received (Unifonic) ---------------------------------------------
    def next_number(self) -> int:
        with self.lock:
            self._counter += 1
            return int(time.time()) % 100_000 * 100_000 + self._counter

    def outbox_add(
        self, *, channel: str, message_id: str, to: str, sender: str, text: str, reference: str = ""
    ) -> dict:
        entry = {
            "id": message_id,
            "channel": channel,
            "to": to,
            "sender": sender,
            "text": text,
            "reference": reference,
            "received_at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
            "receipts": [],
        }
        with self.lock:
            self.outbox_log.append(entry)
            self.record_create(f"unifonic.{channel}", message_id=message_id)
        return entry

    def outbox(self, channel: str | None = None) -> list[dict]:
        """The messages received, newest last (copies)."""
        with self.lock:
            return [
                {**entry, "receipts": list(entry["receipts"])}
                for entry in self.outbox_log
                if channel is None or entry["channel"] == channel
            ]

    def outbox_entry(self, message_id: str) -> dict | None:
        with self.lock:
            return next((entry for entry in self.outbox_log if entry["id"] == str(message_id)), None)

    def set_receipts(self, *, urls: dict | None = None, delay_s: float | None = None) -> None:
        for channel, url in (urls or {}).items():
            if channel not in ("sms", "whatsapp") or not isinstance(url, str):
                raise ValueError('receipt URLs are {"sms": url, "whatsapp": url}')
            if url and not url.startswith(("http://", "https://")):
                raise ValueError("a receipt URL must be http(s)")
        if delay_s is not None and (isinstance(delay_s, bool) or not isinstance(delay_s, int | float) or delay_s < 0):
            raise ValueError("delay_s must be a number of seconds >= 0")
        with self.lock:
            for channel, url in (urls or {}).items():
                if url:
                    self.receipt_urls[channel] = url
                else:
                    self.receipt_urls.pop(channel, None)
            if delay_s is not None:
                self.receipt_delay_s = float(delay_s)
