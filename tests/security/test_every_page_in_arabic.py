"""Every page of the project in Arabic: ``<html lang="ar" dir="rtl">``, whoever may open it.

The pages are the role matrix's URLs opened by the superuser with ``Accept-Language: ar``; the
page templates no URL renders here (errors, lockout, conflict) are rendered directly. A page
template that neither reaches fails the test, so a new page is covered when it is added.
"""

import re
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from privacy.erasure import Changes
from privacy.forms import EraseForm
from tests.security.sitemap import all_urls, client_for, objects_by_kind, reverse_with
from tests.security.test_role_matrix import MATRIX

HTML_TAG = re.compile(r"<html[^>]*>")
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered by Django or a middleware, not by a URL of the matrix, or only for a patient found
# (the erasure's confirmation), with the context they get there.
RENDERED_DIRECTLY = {
    "privacy/erase.html": {"counted": Changes(bookings=1), "form": EraseForm()},
    "403.html": {},
    "404.html": {},
    "500.html": {},
    "accounts/locked_out.html": {},
    "bookings/conflict.html": {},
    # The two-factor set-up: the superuser, who has an authenticator, is sent past it.
    "two_factor/core/setup.html": {},
}


def page_templates() -> set[str]:
    """Templates of whole pages: the ones that extend the base layout (directly or through another page)."""
    pages = set()
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r'{%\s*extends\s+"(base\.html|bookings/includes/step_page\.html)"', text) or "<html" in text:
            pages.add(str(path.relative_to(TEMPLATES)))
    return pages


def assert_rtl(html: str, where: str) -> None:
    tag = HTML_TAG.search(html)
    assert tag, f"{where}: no <html> tag"
    assert 'lang="ar"' in tag.group(0) and 'dir="rtl"' in tag.group(0), f"{where}: {tag.group(0)}"


def test_every_page_answers_in_arabic_right_to_left(site_objects, persona_users):
    client = client_for(persona_users["superuser"])
    rendered = set()
    for name, expect in sorted(MATRIX.items()):
        # The API and its Swagger page are for developers, in English.
        if expect.get.get("superuser") != 200 or name.startswith("api:"):
            continue
        path = reverse_with(all_urls()[name], pk=objects_by_kind(site_objects)[expect.obj].pk)
        if name == "bookings:handoff-slip":
            path += "?language=ar"  # the slip speaks the patient's language, not the staff's
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="ar")
        assert response.status_code == 200, path
        if "text/html" not in response.get("Content-Type", "") or getattr(response, "streaming", False):
            continue
        rendered.update(template.name for template in response.templates if template.name)
        if b"<html" in response.content:
            assert_rtl(response.content.decode(), f"{name} ({path})")
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="ar")
    request.user = persona_users["operations"]
    with translation.override("ar"):
        for template, context in RENDERED_DIRECTLY.items():
            assert_rtl(render_to_string(template, context, request=request), template)
            rendered.add(template)
    missing = sorted(page_templates() - rendered)
    assert not missing, f"page templates no test rendered in Arabic: {missing}"
