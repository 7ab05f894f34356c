"""What the hostile-input crawler sends, and where: a fixed list of values and the names pages use.

No random search: the same values, in the same order, on every run. ``VALUES`` holds a few of
each kind (NUL, a 10,000-character string, far dates, huge and negative integers, bad
percent-escapes, right-to-left text, emoji). ``PageFields`` reads a page for the names its
forms, htmx attributes and links send, and where they send them; ``names_read_in_code`` finds
the query and form names the portal's views read straight from the request.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("accounts", "bookings", "config", "monitoring", "partners")


@dataclass(frozen=True)
class Hostile:
    kind: str
    text: str
    encoded: bool = False  # ``text`` is put in the query or body as it is, escapes and all

    def pair(self, name: str) -> str:
        value = self.text if self.encoded else quote(self.text, safe="")
        return f"{quote(name, safe='')}={value}"

    def __str__(self) -> str:
        return f"{self.kind}:{self.text[:20]!r}{'…' if len(self.text) > 20 else ''}"


VALUES: tuple[Hostile, ...] = (
    Hostile("nul", "\x00"),
    Hostile("nul", "abc\x00def"),
    Hostile("long", "a" * 10_000),
    Hostile("long", "٩" * 10_000),
    Hostile("far-date", "0001-01-01"),
    Hostile("far-date", "9999-12-31"),
    Hostile("far-date", "9999-12-31T23:59:59"),
    Hostile("far-date", "9999"),  # a year: the admin's date hierarchy asks for the year after it
    Hostile("huge-int", "99999"),
    Hostile("huge-int", "9" * 40),
    Hostile("huge-int", "1e400"),
    Hostile("negative-int", "-1"),
    Hostile("negative-int", "-" + "9" * 40),
    Hostile("bad-percent", "%", encoded=True),
    Hostile("bad-percent", "%zz%", encoded=True),
    Hostile("bad-percent", "%FF%FE%C0%AF", encoded=True),
    Hostile("rtl", "\u202eمرحبا\u202c שלום"),
    Hostile("emoji", "🩺👩🏽‍⚕️"),
    Hostile("emoji", "\U0010ffff\ufffe"),
)
KINDS: tuple[str, ...] = tuple(dict.fromkeys(value.kind for value in VALUES))


def one_of_each_kind(offset: int = 0) -> list[Hostile]:
    """One value of every kind; ``offset`` turns to the kind's next value (fixed, not random)."""
    chosen = []
    for kind in KINDS:
        of_kind = [value for value in VALUES if value.kind == kind]
        chosen.append(of_kind[offset % len(of_kind)])
    return chosen


def encode(names, value: Hostile) -> str:
    """``name=value&…`` for every name: a query string or a form body."""
    return "&".join(value.pair(name) for name in sorted(names))


_READ_IN_CODE = re.compile(r"""\b(?:GET|POST|query_params)(?:\.get|\.getlist)?[(\[]\s*["'](\w+)["']""")


def names_read_in_code() -> set[str]:
    """Names the views read from ``request.GET`` / ``request.POST`` / ``query_params`` directly."""
    names = set()
    for package in PROJECT_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            names.update(_READ_IN_CODE.findall(path.read_text()))
    return names


FIELD_TAGS = {"input", "select", "textarea", "button"}
IGNORED = {"csrfmiddlewaretoken"}


class PageFields(HTMLParser):
    """``found[(path, method)]``: the names a page's forms, htmx elements and links send to ``path``."""

    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.found: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._form: tuple[str, str] | None = None

    def _target(self, url: str | None, method: str) -> tuple[str, str] | None:
        parts = urlsplit(urljoin(self.page_path, url or ""))
        if parts.netloc or not parts.path.startswith("/"):
            return None
        target = (parts.path, method)
        self.found[target].update(name for name, _ in parse_qsl(parts.query, keep_blank_values=True))
        return target

    def _htmx(self, attrs: dict) -> tuple[str, str] | None:
        for method in ("get", "post", "put", "patch", "delete"):
            if f"hx-{method}" in attrs:
                return self._target(attrs[f"hx-{method}"], method.upper())
        return None

    def handle_starttag(self, tag, attr_list):
        attrs = {name: value or "" for name, value in attr_list}
        if tag == "form":
            method = attrs.get("method", "get").upper()
            self._form = self._htmx(attrs) or self._target(attrs.get("action"), method)
            return
        if tag == "a" and "href" in attrs:
            self._target(attrs["href"], "GET")
        name = attrs.get("name")
        own_target = self._htmx(attrs)
        if tag not in FIELD_TAGS or not name or name in IGNORED:
            return
        for target in (self._form, own_target):
            if target is not None:
                self.found[target].add(name)
        if attrs.get("formaction"):
            target = self._target(attrs["formaction"], attrs.get("formmethod", "post").upper())
            if target is not None:
                self.found[target].add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def page_fields(page_path: str, html: str) -> dict[tuple[str, str], set[str]]:
    parser = PageFields(page_path)
    parser.feed(html)
    parser.close()
    return parser.found
