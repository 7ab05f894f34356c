"""Login throttling (django-axes, through the real login views), session expiry, POST-only logout."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.contrib.sessions.backends import db as session_db
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.security.sitemap import client_for

pytestmark = pytest.mark.django_db
PASSWORD = "pass-for-tests"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    return settings


def log_in(client, username, password, *, view="accounts:login"):
    return client.post(reverse(view), {"username": username, "password": password})


# --- throttling ------------------------------------------------------------------------------


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(axes_on, persona_users):
    client = Client()
    for _ in range(2):
        assert log_in(client, "sec-operations", "wrong").status_code == 200  # the form again, with an error
    assert log_in(client, "sec-operations", "wrong").status_code == 429  # the third failure locks
    response = log_in(client, "sec-operations", PASSWORD)
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("bookings:dashboard")).status_code == 302


def test_the_lockout_is_per_user_and_address(axes_on, persona_users):
    client = Client()
    for _ in range(3):
        log_in(client, "sec-operations", "wrong")
    assert log_in(client, "sec-operations", PASSWORD).status_code == 429
    other_user = log_in(Client(), "sec-finance", PASSWORD)
    assert other_user.status_code == 302 and other_user.url == reverse("bookings:dashboard")
    other_address = log_in(Client(REMOTE_ADDR="198.51.100.7"), "sec-operations", PASSWORD)
    assert other_address.status_code == 302


def test_a_successful_login_resets_the_failure_count(axes_on, persona_users):
    client = Client()
    for _ in range(2):
        log_in(client, "sec-operations", "wrong")
    assert log_in(client, "sec-operations", PASSWORD).status_code == 302
    for _ in range(2):
        assert log_in(Client(), "sec-operations", "wrong").status_code == 200
    assert log_in(Client(), "sec-operations", PASSWORD).status_code == 302


def test_the_admin_has_no_password_form_of_its_own(axes_on, persona_users):
    """One door, throttled and with the second factor: the admin's login sends to the portal's."""
    response = log_in(Client(), "sec-partner_admin", PASSWORD, view="admin:login")
    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?next=/admin/"


def test_the_login_error_does_not_say_which_part_was_wrong(persona_users):
    unknown = log_in(Client(), "nobody-here", "wrong").content.decode()
    known = log_in(Client(), "sec-operations", "wrong").content.decode()
    error = re.compile(r'<div class="errors[^"]*" role="alert">(.*?)</div>', re.DOTALL)
    assert error.search(unknown).group(1) == error.search(known).group(1)


# --- sessions --------------------------------------------------------------------------------


def _session_of(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


class _Clock:
    """Moves ``timezone.now()`` as the session backend sees it."""

    def __init__(self, monkeypatch):
        self.offset = datetime.timedelta()
        monkeypatch.setattr(session_db, "timezone", SimpleNamespace(now=lambda: timezone.now() + self.offset))

    def advance(self, seconds: float):
        self.offset = datetime.timedelta(seconds=seconds)


def test_the_session_lasts_session_cookie_age_from_login(settings, persona_users):
    settings.SESSION_COOKIE_AGE = 600
    client = Client()
    before = timezone.now()
    assert log_in(client, "sec-operations", PASSWORD).status_code == 302
    expires = _session_of(client).expire_date
    assert before + datetime.timedelta(seconds=600) <= expires <= timezone.now() + datetime.timedelta(seconds=600)


def test_the_session_cookie_is_http_only_and_dies_with_the_browser(persona_users):
    client = Client()
    response = log_in(client, "sec-operations", PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]  # SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_an_expired_session_is_sent_back_to_the_login(settings, persona_users, monkeypatch):
    settings.SESSION_COOKIE_AGE = 600
    clock = _Clock(monkeypatch)
    client = Client()
    log_in(client, "sec-operations", PASSWORD)
    dashboard = reverse("bookings:dashboard")

    clock.advance(590)
    assert client.get(dashboard).status_code == 200
    clock.advance(610)  # activity does not extend it: the session ends SESSION_COOKIE_AGE after login
    response = client.get(dashboard)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    api = client.get(reverse("api:booking-list"))
    assert api.status_code == 401


def test_an_expired_session_row_is_not_accepted(persona_users):
    client = client_for(persona_users["finance"])
    assert client.get(reverse("bookings:list")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("bookings:list")).status_code == 302


def test_login_rotates_the_session_key(persona_users):
    client = Client()
    session = client.session  # an anonymous session, as a fixation attack would plant it
    session["probe"] = 1
    session.save()
    before = session.session_key
    log_in(client, "sec-operations", PASSWORD)
    assert client.cookies["sessionid"].value != before


# --- logout ----------------------------------------------------------------------------------


def test_logout_is_post_only(persona_users):
    client = client_for(persona_users["operations"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("bookings:dashboard")).status_code == 200  # still logged in

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert client.get(reverse("bookings:dashboard")).status_code == 302


def test_logout_ends_the_session_on_the_server(persona_users):
    client = client_for(persona_users["operations"])
    key = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    stolen = Client()
    stolen.cookies["sessionid"] = key
    assert stolen.get(reverse("bookings:dashboard")).status_code == 302


def test_every_page_offers_logout_as_a_post_form(persona_users):
    html = client_for(persona_users["operations"]).get(reverse("bookings:dashboard")).content.decode()
    form = re.search(r'<form method="post" action="/accounts/logout/"[^>]*>(.*?)</form>', html, re.DOTALL)
    assert form and "csrfmiddlewaretoken" in form.group(1)
