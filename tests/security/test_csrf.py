"""CSRF: every URL refuses a cookie-authenticated POST without a token, and every POST form has one.

The REST API with a token (``Authorization: Token …``) needs no CSRF token, since nothing is
taken from a cookie; the same API reached with the session cookie does, as DRF's
``SessionAuthentication`` enforces it.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve, reverse
from rest_framework.authtoken.models import Token

from tests.security.sitemap import all_urls, objects_by_kind, reverse_with
from tests.security.test_role_matrix import MATRIX

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.IGNORECASE | re.DOTALL)
POST_METHOD = re.compile(r"""method\s*=\s*["']?post\b""", re.IGNORECASE)
# A provider's webhook has no cookie and no CSRF token: the secret in its URL is the check
# (tests/messaging/test_receipts.py), and no session is read.
CSRF_EXEMPT = frozenset({"messaging:receipt-sms", "messaging:receipt-whatsapp"})


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_every_url_refuses_a_post_without_a_csrf_token(site_objects, persona_users):
    """As the superuser (every role), so the request would otherwise reach every view.

    A URL that takes no POST at all (405: the probes, which answer before the CSRF check)
    refuses it too."""
    client = csrf_client(persona_users["superuser"])
    objects = objects_by_kind(site_objects)
    accepted = []
    for name, expect in sorted(MATRIX.items()):
        if name in CSRF_EXEMPT:
            continue
        path = reverse_with(all_urls()[name], pk=objects[expect.obj].pk)
        response = client.post(path, {"anything": "x"})
        refused = response.status_code == 405 or (response.status_code == 403 and b"CSRF" in response.content)
        if not refused:
            accepted.append((name, response.status_code))
    assert not accepted, f"POST without a CSRF token not refused: {accepted}"


@pytest.mark.django_db
def test_login_refuses_a_post_without_a_csrf_token(persona_users):
    for name in ("accounts:login", "admin:login"):
        response = csrf_client().post(reverse(name), {"username": "sec-operations", "password": "pass-for-tests"})
        assert response.status_code == 403


@pytest.mark.django_db
def test_a_post_with_the_token_passes_the_check(persona_users, site_objects):
    """The control: the same client, with the token from the page, gets past the middleware."""
    client = csrf_client(persona_users["operations"])
    page = client.get(reverse("bookings:video-start"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert client.post(reverse("bookings:video-start"), {"csrfmiddlewaretoken": token}).status_code == 302


@pytest.mark.django_db
def test_the_api_refuses_a_session_post_without_a_token_but_takes_an_api_token(persona_users, site_objects):
    path = reverse("api:settlement-confirm", args=[site_objects.settlement.pk])
    assert csrf_client(persona_users["finance"]).post(path).status_code == 403
    token = Token.objects.create(user=persona_users["finance"])
    response = Client(enforce_csrf_checks=True).post(path, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_no_view_of_ours_is_csrf_exempt():
    exempt = []
    for name, url in all_urls().items():
        if url.kwargs:
            continue
        view = resolve(reverse(name)).func
        if getattr(view, "csrf_exempt", False) and not name.startswith("api:"):
            exempt.append(name)
    assert set(exempt) == CSRF_EXEMPT, f"csrf_exempt views besides the provider webhooks: {exempt}"


def template_forms():
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        for match in FORM.finditer(path.read_text()):
            yield path.relative_to(TEMPLATES_DIR), match


def test_the_template_scan_finds_the_post_forms():
    posts = [match for _, match in template_forms() if POST_METHOD.search(match["attrs"])]
    assert len(posts) >= 15


def test_every_post_form_in_the_templates_has_a_csrf_token():
    missing = [
        f"{path}: <form{match['attrs']}>"
        for path, match in template_forms()
        if POST_METHOD.search(match["attrs"]) and "{% csrf_token %}" not in match["body"]
    ]
    assert not missing, "POST forms without {% csrf_token %}:\n" + "\n".join(missing)


def test_every_form_in_the_templates_is_closed_in_its_own_file():
    """A form opened in one template and closed in another would escape the scan above."""
    unclosed = []
    for path in sorted(TEMPLATES_DIR.rglob("*.html")):
        text = path.read_text()
        if len(re.findall(r"<form\b", text, re.IGNORECASE)) != len(re.findall(r"</form>", text, re.IGNORECASE)):
            unclosed.append(str(path.relative_to(TEMPLATES_DIR)))
    assert not unclosed, unclosed
