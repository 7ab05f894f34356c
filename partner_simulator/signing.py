"""The simulator's own Cmt check (CONTRACT.md §1), computed independently of ``partners.signing``.

``Cmt`` = lowercase hex HMAC-SHA256, keyed with the partner secret (UTF-8), of the canonical
payload: JSON with keys sorted at every level, separators ``,`` and ``:``, non-ASCII kept,
encoded as UTF-8. A GET's payload is its query parameters as a JSON object of strings; a call
with no payload signs ``{}``.
"""

import hashlib
import hmac
import json
from urllib.parse import parse_qsl


def canonical_payload(payload) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def query_payload(query: str) -> dict[str, str]:
    """The query string as the object a GET signs (a repeated parameter keeps its last value)."""
    return dict(parse_qsl(query, keep_blank_values=True))


def cmt(payload, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), canonical_payload(payload), hashlib.sha256).hexdigest()


def cmt_matches(payload, secret: str, received: str | None) -> bool:
    if not received:
        return False
    return hmac.compare_digest(cmt(payload, secret).encode(), received.encode("utf-8", "replace"))
