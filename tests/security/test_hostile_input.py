"""Every URL the resolver knows × every persona × hostile values in every parameter: never a 500.

The crawl is deterministic: real objects fill the path parameters (bookings of each partner in
several states, drafts of each flow, a settlement, credentials, partner calls, users, tokens,
login attempts), and ``tests.security.hostile.VALUES`` is a fixed list. The parameters are
what the pages send (their forms, htmx attributes and links, read from each page as each
persona sees it), what the views read from the request in code, what the API schema lists,
and what the admin takes (search, ordering, paging, the filters and the date hierarchy).

Sampled to run in about a minute, and the same every run: for each URL's first object, the
persona the URL is for (the superuser when it is for no other) sends one value of each kind in
all parameters at once (GET, and POST where the URL takes one), every other persona one value
by GET; then that persona sends each parameter alone with one value, the kind turning from one
parameter to the next. The other objects of a URL get a plain GET and one value. Each request
runs in a savepoint that is rolled back, so no request changes what the next one sees.
"""

import logging
import re
import time
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from bookings.models import Booking
from bookings.states import Status
from partners.models import Partner
from tests.factories import get_partner, make_booking, make_call
from tests.security import hostile
from tests.security.sitemap import PERSONAS, all_urls, body_of, objects_by_kind, reverse_with
from tests.security.test_role_matrix import MATRIX

pytestmark = pytest.mark.django_db

BOOKING_STATES = (Status.AWAITING_PAYMENT, Status.VERIFY_WITH_PARTNER, Status.FAILED)
ADMIN_LIST_NAMES = {"q", "o", "p", "all", "_facets", "_popup", "_to_field", "e"}
# Names that refuse the whole request when wrong; sent alone only, so they hide no other name.
GATEKEEPERS = {"_to_field", "format"}


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    first: bool  # the URL's first object: every value, every parameter
    index: int


@pytest.fixture
def crawl_objects(site_objects, persona_users):
    """``site_objects`` and more: bookings of each partner in several states, a call on each,
    an API token, login attempts; ``bookings`` lists every booking the booking URLs are given."""
    bookings = [site_objects.booked]
    for code in Partner.Code.values:
        for status in BOOKING_STATES:
            booking = make_booking(partner=get_partner(code), status=status, created_by=persona_users["operations"])
            make_call(booking=booking, outcome="timeout", http_status=None)
            bookings.append(booking)
    Token.objects.create(user=persona_users["operations"])
    attempt = {"username": "sec-operations", "ip_address": "198.51.100.7", "user_agent": "test", "path_info": "/"}
    AccessAttempt.objects.create(**attempt, http_accept="*/*", failures_since_start=1)
    AccessFailureLog.objects.create(**attempt, http_accept="*/*")
    AccessLog.objects.create(**attempt, http_accept="*/*")
    site_objects.bookings = bookings
    return site_objects


def admin_model(name: str):
    """The model of an admin URL name, from the admin's registry: an app label may hold "_"
    itself (access_records), so the name cannot be split on it."""
    for model in admin.site._registry:
        if name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def admin_objects(name: str, objects) -> list:
    model = admin_model(name)
    if model is Booking:
        return objects.bookings
    return list(model._default_manager.order_by("pk")[:2])


def targets(objects) -> list[Target]:
    """Every named URL with its path parameters filled, once per object it is crawled with."""
    found = []
    kinds = objects_by_kind(objects)
    for name, url in sorted(all_urls().items()):
        if not url.kwargs:
            paths = [reverse(name)]
        elif url.kwargs == ("app_label",):
            labels = ("partners", "bookings", "auth", "authtoken", "axes")
            paths = [reverse(name, kwargs={"app_label": label}) for label in labels]
        elif url.kwargs == ("content_type_id", "object_id"):
            booking_type = ContentType.objects.get_for_model(Booking).pk
            paths = [reverse(name, kwargs={"content_type_id": booking_type, "object_id": objects.booked.pk})]
        elif url.kwargs == ("id",):
            paths = [reverse(name, kwargs={"id": user.pk}) for user in admin_objects(name, objects)]
        elif url.kwargs == ("object_id",):
            paths = [reverse(name, kwargs={"object_id": obj.pk}) for obj in admin_objects(name, objects)]
        else:  # ``pk``, and what the role matrix fills beside it (a settlement's ``line_pk``)
            kind = MATRIX[name].obj if name in MATRIX else "booked"
            chosen = objects.bookings if kind == "booked" else [kinds[kind]]
            paths = [reverse_with(url, pk=obj.pk) for obj in chosen]
        found += [Target(name, path, i == 0, i) for i, path in enumerate(paths)]
    return found


def url_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def api_names() -> list[tuple[re.Pattern, str, set[str]]]:
    """(path pattern, method, names) from the OpenAPI schema: query parameters and form fields."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for template, operations in schema["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            for content in operation.get("requestBody", {}).get("content", {}).values():
                names |= set(content.get("schema", {}).get("properties", {}))
            found.append((pattern, method.upper(), names))
    return found


def admin_list_names(name: str) -> set[str]:
    """The admin changelist's own names: search, ordering, paging, filters and date hierarchy."""
    model = admin_model(name) if name.endswith("_changelist") else None
    if model is None:
        return set()
    model_admin = admin.site._registry[model]
    names = set(ADMIN_LIST_NAMES)
    if model_admin.date_hierarchy:
        names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            names |= {f"{entry}__exact", f"{entry}__id__exact"}
    return names


class Crawl:
    """Sends requests as each persona, each in a rolled-back savepoint, and keeps what went wrong."""

    def __init__(self, persona_users):
        self.sessions = {}
        for persona in PERSONAS:
            client = Client()
            if persona_users[persona] is not None:
                client.force_login(persona_users[persona])
            self.sessions[persona] = client.cookies.get(settings.SESSION_COOKIE_NAME)
        self.requests = 0
        self.failures: list[str] = []

    def send(self, persona: str, method: str, path: str, encoded: str = ""):
        client = Client()
        if self.sessions[persona] is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona].value
        url = f"{path}?{encoded}" if method == "GET" and encoded else path
        self.requests += 1
        response, problem = None, None
        with transaction.atomic():
            try:
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, encoded, content_type="application/x-www-form-urlencoded")
                body_of(response)
                if response.status_code >= 500:
                    problem = str(response.status_code)
            except Exception as error:  # the test client re-raises what the view raised
                problem = f"{type(error).__name__}: {str(error)[:200]}"
            transaction.set_rollback(True)
        if problem:
            self.failures.append(f"{method} {path} [{encoded[:120]}] as {persona} → {problem}")
        return response


@pytest.fixture
def quiet_logs():
    """Every refused request logs a warning with its traceback; the crawl keeps its own list."""
    logging.disable(logging.CRITICAL)
    yield
    logging.disable(logging.NOTSET)


def test_no_url_answers_a_server_error_to_hostile_input(crawl_objects, persona_users, quiet_logs):
    started, cpu_started = time.monotonic(), time.process_time()
    crawl = Crawl(persona_users)
    all_targets = targets(crawl_objects)
    schema_names = api_names()
    code_names = hostile.names_read_in_code()

    # 1. A plain GET of each URL as every persona (its other objects: as the superuser). Each
    #    page says which names it sends to which URL.
    sent: dict[tuple[str, str], set[str]] = {}
    let_in: dict[str, list[str]] = {}
    for target in all_targets:
        for persona in PERSONAS if target.first else ("superuser",):
            response = crawl.send(persona, "GET", target.path)
            if response is None or response.status_code >= 300 or not target.first:
                continue
            let_in.setdefault(target.name, []).append(persona)
            if "html" in response.get("Content-Type", ""):
                for (path, method), names in hostile.page_fields(target.path, body_of(response).decode()).items():
                    sent.setdefault((url_name(path), method), set()).update(names)

    def names_for(target: Target, method: str) -> set[str]:
        names = set(sent.get((target.name, method), set()))
        names |= {n for pattern, m, found in schema_names if m == method and pattern.match(target.path) for n in found}
        if method == "GET":
            names |= admin_list_names(target.name)
        return names

    def takes_post(target: Target) -> bool:
        return (target.name, "POST") in sent or bool(MATRIX.get(target.name) and MATRIX[target.name].post)

    # 2. Hostile values in every name at once: one of each kind as the persona the URL is for
    #    (the superuser when it is for no other), one value as each other persona. Then each
    #    name the URL's pages, schema or admin send, alone, as that persona.
    for position, target in enumerate(all_targets):
        admitted = let_in.get(target.name, [])
        lead = next((p for p in admitted if p != "superuser"), "superuser")
        for method in ["GET", "POST"] if takes_post(target) else ["GET"]:
            own = names_for(target, method)
            together = sorted((own | (set() if target.name.startswith("admin:") else code_names)) - GATEKEEPERS)
            if not target.first:
                if method == "GET":
                    value = hostile.VALUES[target.index % len(hostile.VALUES)]
                    crawl.send("superuser", method, target.path, hostile.encode(together, value))
                continue
            for number, persona in enumerate(PERSONAS):
                if persona == lead:
                    values = hostile.one_of_each_kind(position)
                elif method == "GET":
                    values = [hostile.VALUES[(position + number) % len(hostile.VALUES)]]
                else:
                    values = []
                for value in values:
                    crawl.send(persona, method, target.path, hostile.encode(together, value))
            for offset, name in enumerate(sorted(own)):
                value = hostile.one_of_each_kind(position + offset)[offset % len(hostile.KINDS)]
                crawl.send(lead, method, target.path, hostile.encode([name], value))

    print(
        f"\nhostile crawl: {len(all_urls())} URLs, {len(all_targets)} paths, {len(PERSONAS)} personas, "
        f"{len(hostile.VALUES)} values of {len(hostile.KINDS)} kinds: {crawl.requests} requests in "
        f"{time.monotonic() - started:.1f} s ({time.process_time() - cpu_started:.1f} s CPU)"
    )
    assert not crawl.failures, f"{len(crawl.failures)} answers ≥ 500:\n" + "\n".join(crawl.failures[:60])


def test_the_crawl_reads_names_from_the_pages():
    html = """
      <form method="get"><input name="q"><select name="status"></select></form>
      <form method="post" action="/bookings/1/actions/retry/"><input name="csrfmiddlewaretoken"><button name="next"></button></form>
      <div hx-get="/bookings/video/1/slot/slots/" ><input name="date" hx-get="/bookings/video/1/slot/slots/"></div>
      <a href="?partner__id__exact=1&amp;o=2">x</a><a href="https://example.org/?x=1">out</a>
    """
    found = hostile.page_fields("/bookings/", html)
    assert found[("/bookings/", "GET")] == {"q", "status", "partner__id__exact", "o"}
    assert found[("/bookings/1/actions/retry/", "POST")] == {"next"}
    assert found[("/bookings/video/1/slot/slots/", "GET")] == {"date"}
    assert not any(path.startswith("https") for path, _ in found)


def test_every_value_kind_is_sent():
    assert set(hostile.KINDS) == {"nul", "long", "far-date", "huge-int", "negative-int", "bad-percent", "rtl", "emoji"}
    assert {value.kind for value in hostile.one_of_each_kind(3)} == set(hostile.KINDS)
