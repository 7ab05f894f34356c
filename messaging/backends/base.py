"""The contract every channel backend keeps."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from partners.providers import Receipt


@dataclass(frozen=True)
class Delivery:
    """A provider took the message: its id for it, and the logged HTTP call when there was one."""

    provider_id: str
    http_status: int | None = None
    call: Any = None


class MessageBackend:
    """Sends one channel's messages. ``send`` renders the text in the message's language, sends it
    to ``to`` and returns a ``Delivery``, or raises ``SendFailed`` saying whether a retry may help.
    A backend whose provider posts delivery receipts reads them in ``read_receipt``."""

    provider = ""

    def setup_error(self) -> str | None:
        """Why this backend cannot send (a missing key), or None."""
        return None

    def send(self, message, *, to: str, attempt: int) -> Delivery:
        raise NotImplementedError

    def read_receipt(self, data: Mapping[str, Any]) -> Receipt | None:
        """The receipt in a webhook's fields, or None when they are not one (or receipts are not read)."""
        return None
