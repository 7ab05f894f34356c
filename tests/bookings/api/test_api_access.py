"""API permissions per role, token and session auth, the schema and the docs page under the CSP."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bookings.models import SettlementImport
from tests.conftest import PERSONAS as ROLE_OF
from tests.factories import get_partner, make_booking

pytestmark = pytest.mark.django_db
READERS = {"operations", "finance"}
FINANCE = {"finance"}

ENDPOINTS = [
    ("api:booking-list", None, "get", READERS),
    ("api:booking-detail", "booking", "get", READERS),
    ("api:schema", None, "get", READERS),
    ("api:settlement-list", None, "get", FINANCE),
    ("api:settlement-list", None, "post", FINANCE),
    ("api:settlement-detail", "import", "get", FINANCE),
    ("api:settlement-lines", "import", "get", FINANCE),
    ("api:settlement-confirm", "import", "post", FINANCE),
]


def _url(name, needs):
    if needs == "booking":
        return reverse(name, args=[make_booking().pk])
    if needs == "import":
        settlement = SettlementImport.objects.create(
            partner=get_partner(), file_name="s.csv", content=b"x", sha256="0" * 64, summary={"counts": {}}
        )
        return reverse(name, args=[settlement.pk])
    return reverse(name)


def token_client(django_user_model, persona) -> APIClient:
    user = django_user_model.objects.create_user(username=f"api-{persona}")
    user.groups.add(Group.objects.get(name=ROLE_OF[persona]))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.parametrize("name, needs, method, allowed", ENDPOINTS)
def test_anonymous_gets_a_json_401(name, needs, method, allowed):
    response = getattr(APIClient(), method)(_url(name, needs), {"format": "json"} if name == "api:schema" else None)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert json.loads(response.content) == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize("name, needs, method, allowed", ENDPOINTS)
@pytest.mark.parametrize("persona", ["operations", "finance", "partner_admin"])
def test_role_access_with_a_token(django_user_model, persona, name, needs, method, allowed):
    data = {"format": "json"} if name == "api:schema" else None
    response = getattr(token_client(django_user_model, persona), method)(_url(name, needs), data)
    if persona in allowed:
        assert response.status_code in (200, 400)  # 400: an upload without a file
    else:
        assert response.status_code == 403
        assert "detail" in json.loads(response.content)


def test_session_auth_works_and_needs_csrf_for_writes(client, finance_user):
    client.force_login(finance_user)
    assert client.get(reverse("api:booking-list")).status_code == 200
    csrf_client = APIClient(enforce_csrf_checks=True)
    csrf_client.force_login(finance_user)
    assert csrf_client.post(reverse("api:settlement-list")).status_code == 403


def test_wrong_token_is_401(client):
    response = client.get(reverse("api:booking-list"), HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401 and response.json() == {"detail": "Invalid token."}


def test_schema_describes_the_endpoints(persona_client):
    response = persona_client("finance").get(reverse("api:schema"), {"format": "json"})
    paths = response.json()["paths"]
    assert {"/api/bookings/", "/api/bookings/{id}/", "/api/settlements/", "/api/settlements/{id}/confirm/"} <= set(
        paths
    )
    parameters = {p["name"] for p in paths["/api/bookings/"]["get"]["parameters"]}
    assert {"partner", "status", "created_from", "amount_min", "q", "sort", "page"} <= parameters


def test_docs_page_is_login_only_and_runs_under_the_csp(client, persona_client):
    assert client.get(reverse("api:docs")).status_code == 302
    assert persona_client("partner_admin").get(reverse("api:docs")).status_code == 403

    operations = persona_client("operations")
    page = operations.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # No inline script or style: every script has a same-origin src, every style is a file.
    assert "<style" not in html and "style=" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/' in attributes for attributes in scripts)
    assert "cdn" not in html.lower()
    init = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    script = operations.get(init)
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
