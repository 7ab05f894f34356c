"""The Jinja2 environment for templates rendered row by row in bulk (the bookings list).

Django's template language walks its node tree for every row; Jinja2 compiles a template to
Python once. Pages keep their layout in Django templates and embed the Jinja2 fragment.
"""

from collections.abc import Iterable
from datetime import tzinfo
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from jinja2 import Environment, StrictUndefined


def url(name: str) -> str:
    return reverse(name)


def url_for_id(name: str):
    """A function giving the URL of ``name`` for an id: reversed once, not once per row."""
    sentinel = "2147483647"
    prefix, suffix = reverse(name, args=[sentinel]).split(sentinel)
    return lambda pk: f"{prefix}{pk}{suffix}"


def query_without(request: HttpRequest, *keys: str) -> str:
    """The current query string without ``keys`` (``{% querystring key=None %}`` in Django templates)."""
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return f"?{params.urlencode()}" if params else ""


def query_link(request: HttpRequest, key: str, drop: Iterable[str] = ()):
    """A function giving the current query string with ``key`` set to its argument and ``drop`` removed.

    For links that differ in one parameter (page numbers, sort orders): the rest is encoded once.
    """
    params = request.GET.copy()
    for name in (key, *drop):
        params.pop(name, None)
    rest = f"{params.urlencode()}&" if params else ""
    return lambda value: f"?{rest}{urlencode({key: value})}"


def in_time_zone(zone: tzinfo):
    """A function giving an aware datetime in ``zone`` (usually the portal's current time zone)."""
    return lambda value: value.astimezone(zone)


def environment(**options) -> Environment:
    options.pop("autoescape", None)
    # A misspelt name fails the render (and its test) instead of printing nothing.
    options["undefined"] = StrictUndefined
    env = Environment(autoescape=True, **options)
    env.globals.update(
        url=url,
        url_for_id=url_for_id,
        query_without=query_without,
        query_link=query_link,
        current_time_zone=timezone.get_current_timezone,
        in_time_zone=in_time_zone,
    )
    return env
