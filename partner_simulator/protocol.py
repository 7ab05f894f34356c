"""What every simulated endpoint receives and answers, and the field checks they share."""

import datetime
import json
import re
from dataclasses import dataclass, field

JSON = "application/json"
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class SimRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # keys lower-cased
    body: bytes
    json_body: object = None
    json_error: str | None = None
    environment: str | None = None  # Sandicare: "sandbox" or "production"

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def content_type_is_json(self) -> bool:
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower() == JSON


@dataclass
class Reply:
    status: int
    payload: object = None  # serialised as JSON unless ``raw`` is set
    raw: bytes | None = None
    content_type: str = JSON
    url_path: tuple = field(default=())  # where the success URL sits in ``payload``
    created: bool = False

    def body(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return json.dumps(self.payload, ensure_ascii=False).encode("utf-8")

    def body_status(self):
        if isinstance(self.payload, dict):
            return self.payload.get("status")
        return None

    def with_plain_http_url(self) -> "Reply":
        """The same success with its payment/enrollment URL downgraded to ``http://``."""
        if not self.url_path:
            return self
        node = self.payload
        for key in self.url_path[:-1]:
            node = node[key]
        node[self.url_path[-1]] = node[self.url_path[-1]].replace("https://", "http://", 1)
        return self


class FieldError(Exception):
    """A missing or malformed request field; each partner turns it into its own error."""

    def __init__(self, name: str, message: str):
        super().__init__(f"{name} {message}")
        self.field = name


def parse_json(body: bytes) -> tuple[object, str | None]:
    if not body.strip():
        return None, None
    try:
        return json.loads(body.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError) as exc:
        return None, f"body is not valid JSON ({exc.__class__.__name__})"


def _get(data, name: str, prefix: str):
    if not isinstance(data, dict):
        raise FieldError(prefix.rstrip(".") or "body", "must be a JSON object")
    if name not in data or data[name] is None or data[name] == "":
        raise FieldError(prefix + name, "is required")
    return data[name]


def text(data, name: str, prefix: str = "") -> str:
    value = _get(data, name, prefix)
    if not isinstance(value, str) or not value.strip():
        raise FieldError(prefix + name, "must be a non-empty string")
    return value


def iso_date(data, name: str, prefix: str = "") -> datetime.date:
    value = text(data, name, prefix)
    try:
        if not DATE_RE.match(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise FieldError(prefix + name, "must be a date in YYYY-MM-DD format") from None


def obj(data, name: str, prefix: str = "") -> dict:
    value = _get(data, name, prefix)
    if not isinstance(value, dict):
        raise FieldError(prefix + name, "must be a JSON object")
    return value


def number(data, name: str, prefix: str = "") -> float:
    value = _get(data, name, prefix)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(prefix + name, "must be a number")
    return float(value)


def text_list(data, name: str, prefix: str = "") -> list[str]:
    value = _get(data, name, prefix)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise FieldError(prefix + name, "must be a non-empty list of strings")
    return value


def choice(data, name: str, choices, prefix: str = "") -> str:
    value = text(data, name, prefix)
    if value not in choices:
        raise FieldError(prefix + name, "must be one of " + ", ".join(choices))
    return value


def email(data, name: str, prefix: str = "") -> str:
    value = text(data, name, prefix)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise FieldError(prefix + name, "must be an email address")
    return value


def mobile(data, name: str, prefix: str = "") -> str:
    value = text(data, name, prefix)
    if not re.fullmatch(r"\+[1-9]\d{7,14}", value):
        raise FieldError(prefix + name, "must be a phone number in E.164 format, e.g. +966512345678")
    return value


class Headers(dict):
    """Request headers with case-insensitive lookups (stored lower-cased)."""

    def __init__(self, items=()):
        super().__init__((name.lower(), value) for name, value in items)

    def __getitem__(self, name):
        return super().__getitem__(name.lower())

    def __contains__(self, name):
        return isinstance(name, str) and super().__contains__(name.lower())

    def get(self, name, default=None):
        return super().get(name.lower(), default)
