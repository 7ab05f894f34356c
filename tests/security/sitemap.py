"""The project's URLs as the security tests see them: every named pattern, and its kwargs filled.

``project_urls()`` walks the root resolver; a name is ``namespace:name`` as ``reverse`` takes
it. Django admin's own internals are left out unless they belong to one of our apps' models:
``admin:<app>_<model>_<view>`` of ``accounts``, ``bookings`` and ``partners`` are project URLs.
"""

import re
from dataclasses import dataclass

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONAS = ("anonymous", "operations", "finance", "partner_admin", "superuser")
PROJECT_APPS = ("accounts", "bookings", "messaging", "partners", "patients")
ADMIN_MODEL_URL = re.compile(
    r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_(?P<view>changelist|add|change|history|delete)$"
)


@dataclass(frozen=True)
class ProjectURL:
    name: str
    route: str
    kwargs: tuple[str, ...]


def _pattern_kwargs(pattern) -> tuple[str, ...]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return tuple(converters)
    return tuple(pattern.pattern.regex.groupindex)


def _walk(resolver, prefix: str, namespace: str | None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield ProjectURL(name, prefix + str(pattern.pattern), _pattern_kwargs(pattern))


def all_urls() -> dict[str, ProjectURL]:
    """Every named URL pattern, Django admin's internals included."""
    found = {}
    for url in _walk(get_resolver(), "/", None):
        found.setdefault(url.name, url)
    return found


def is_project_url(name: str) -> bool:
    if not name.startswith("admin:"):
        return True
    match = ADMIN_MODEL_URL.match(name)
    return bool(match and match["app"] in PROJECT_APPS)


def project_urls() -> dict[str, ProjectURL]:
    """The URLs the role matrix must cover: ours, and the admin pages of our models."""
    return {name: url for name, url in all_urls().items() if is_project_url(name)}


def admin_model(name: str) -> str | None:
    """``partners.credential`` for ``admin:partners_credential_change``; None for other URLs."""
    match = ADMIN_MODEL_URL.match(name)
    return f"{match['app']}.{match['model']}" if match else None


def reverse_with(url: ProjectURL, pk=None, **extra) -> str:
    kwargs = dict(extra)
    for name in url.kwargs:
        if name in ("pk", "object_id"):
            kwargs[name] = pk
        elif name == "line_pk" and name not in kwargs:  # a line of the settlement import ``pk``
            from bookings.models import SettlementLine

            kwargs[name] = SettlementLine.objects.filter(settlement_import_id=pk).values_list("pk", flat=True).first()
    return reverse(url.name, kwargs=kwargs or None)


def objects_by_kind(site_objects) -> dict:
    """The object behind each ``obj`` kind of the role matrix (see the ``site_objects`` fixture)."""
    o = site_objects
    return {
        "booked": o.booked,
        "video": o.video,
        "vaccination": o.vaccination,
        "enrollment": o.enrollment,
        "settlement": o.settlement,
        "partners.partner": o.partner,
        "partners.credential": o.credential,
        "partners.upstreamcall": o.call,
        "partners.speciality": o.speciality,
        "partners.doctor": o.doctor,
        "partners.vaccinationservice": o.vaccination_service,
        "bookings.booking": o.booked,
        "bookings.bookingevent": o.event,
        "bookings.settlementimport": o.settlement,
        "bookings.settlementline": o.line,
        "patient": o.patient,
        "patients.patient": o.patient,
        "messaging.message": o.message,
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
