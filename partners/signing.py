"""The Cmt request signature (CONTRACT.md §1, [assumed]): the only place that signs.

``Cmt = HMAC(key = partner secret as UTF-8, message = canonical JSON of the payload)``,
lowercase hex by default. The algorithm and the encoding are credential settings, so a
different partner rule is a setting change, not a code change.
"""

import base64
import datetime
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

ALGORITHMS = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}
ENCODINGS = ("hex", "base64")


def canonical_json(payload: Any) -> str:
    """Keys sorted at every level, no spaces, non-ASCII kept as UTF-8; no payload → ``{}``."""
    if payload is None:
        payload = {}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def cmt_signature(payload: Any, *, secret: str, algorithm: str = "sha256", encoding: str = "hex") -> str:
    if algorithm not in ALGORITHMS:
        raise ValueError(f"Unknown Cmt algorithm {algorithm!r}; expected one of {sorted(ALGORITHMS)}.")
    if encoding not in ENCODINGS:
        raise ValueError(f"Unknown Cmt encoding {encoding!r}; expected one of {ENCODINGS}.")
    digest = hmac.new(secret.encode("utf-8"), canonical_json(payload).encode("utf-8"), ALGORITHMS[algorithm])
    if encoding == "hex":
        return digest.hexdigest()
    return base64.b64encode(digest.digest()).decode("ascii")


def query_payload(params: Mapping[str, Any]) -> dict[str, str]:
    """A GET's signed payload: the query parameters as a JSON object of strings."""
    payload = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, datetime.date):
            value = value.isoformat()
        payload[str(key)] = str(value)
    return payload
