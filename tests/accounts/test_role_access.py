"""Every page requires login and the right role; a page a role may not see answers 403."""

import pytest
from django.urls import reverse

PAGES = {
    # url name: personas allowed (superuser always allowed)
    "bookings:dashboard": {"operations", "finance", "partner_admin"},
    "bookings:start": {"operations"},
    "bookings:partner-health": {"operations", "finance", "partner_admin"},
    "bookings:list": {"operations", "finance"},
}
PERSONAS = ["operations", "finance", "partner_admin", "superuser"]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGES)
def test_anonymous_is_sent_to_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_role_access(persona_client, url_name, persona):
    response = persona_client(persona).get(reverse(url_name))
    allowed = persona == "superuser" or persona in PAGES[url_name]
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona, visible, hidden",
    [
        ("operations", ["Book", "Bookings"], ["Partner keys"]),
        ("finance", ["Bookings"], ["Book<", "Partner keys"]),
        ("partner_admin", ["Partner keys"], ["Bookings", "Book<"]),
    ],
)
def test_dashboard_navigation_by_role(persona_client, persona, visible, hidden):
    nav = persona_client(persona).get(reverse("bookings:dashboard")).content.decode().split("<main>")[0]
    for label in visible:
        assert label in nav
    for label in hidden:
        assert label not in nav


@pytest.mark.django_db
def test_login_page_is_public(client):
    assert client.get(reverse("accounts:login")).status_code == 200


@pytest.mark.django_db
def test_login_throttling_locks_out_after_repeated_failures(client, settings, operations_user):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "ops", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "ops", "password": "pass-for-tests"})
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
