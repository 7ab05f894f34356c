"""Choosing the portal's language: the user's saved choice, then Accept-Language, then LANGUAGE_CODE."""

import pytest
from django.urls import reverse

from accounts.models import Profile

LOGIN = "/accounts/login/"


def html_tag(response) -> str:
    body = response.content.decode()
    return body[body.index("<html") : body.index(">", body.index("<html")) + 1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "lang", "direction"),
    [
        ("ar", "ar", "rtl"),
        ("es-MX,es;q=0.9", "es", "ltr"),
        ("en-US", "en", "ltr"),
        ("fr", "en", "ltr"),
        ("", "en", "ltr"),
    ],
)
def test_anonymous_pages_follow_accept_language_then_the_default(client, accept, lang, direction):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=accept)
    assert f'lang="{lang}"' in html_tag(response)
    assert f'dir="{direction}"' in html_tag(response)
    assert response["Content-Language"] == lang


def test_the_saved_language_wins_over_accept_language(client, operations_user):
    Profile.objects.create(user=operations_user, language="es")
    client.force_login(operations_user)
    response = client.get(reverse("bookings:dashboard"), HTTP_ACCEPT_LANGUAGE="ar")
    assert 'lang="es"' in html_tag(response)


def test_without_a_saved_language_the_browser_decides(client, operations_user):
    client.force_login(operations_user)
    response = client.get(reverse("bookings:dashboard"), HTTP_ACCEPT_LANGUAGE="ar")
    assert 'dir="rtl"' in html_tag(response)


def test_the_menu_saves_the_choice_and_returns_to_the_page(client, operations_user):
    client.force_login(operations_user)
    back_to = reverse("bookings:list") + "?status=draft"
    response = client.post(reverse("accounts:language"), {"language": "ar", "next": back_to})
    assert response.status_code == 302
    assert response.url == back_to
    assert Profile.objects.get(user=operations_user).language == "ar"
    # The choice follows the person to another browser (no cookie there).
    other_browser = client.__class__()
    other_browser.force_login(operations_user)
    assert 'lang="ar"' in html_tag(other_browser.get(reverse("bookings:dashboard"), HTTP_ACCEPT_LANGUAGE="es"))


def test_changing_the_choice_updates_it(client, operations_user):
    client.force_login(operations_user)
    client.post(reverse("accounts:language"), {"language": "ar"})
    client.post(reverse("accounts:language"), {"language": "en"})
    assert Profile.objects.get(user=operations_user).language == "en"


@pytest.mark.django_db
def test_before_login_the_choice_is_a_cookie(client):
    response = client.post(reverse("accounts:language"), {"language": "es", "next": LOGIN})
    assert response.url == LOGIN
    assert 'lang="es"' in html_tag(client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="ar"))
    assert not Profile.objects.exists()


def test_an_unknown_language_changes_nothing(client, operations_user):
    client.force_login(operations_user)
    response = client.post(reverse("accounts:language"), {"language": "xx", "next": LOGIN})
    assert response.status_code == 302
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_next_elsewhere_is_not_followed(client):
    response = client.post(reverse("accounts:language"), {"language": "es", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response.url


@pytest.mark.django_db
def test_every_page_has_the_menu_with_each_language_in_its_own_script(client):
    body = client.get(LOGIN).content.decode()
    assert f'action="{reverse("accounts:language")}"' in body
    for code in ("en", "ar", "es"):
        assert f'value="{code}" lang="{code}"' in body
    assert "العربيّة" in body or "العربية" in body
