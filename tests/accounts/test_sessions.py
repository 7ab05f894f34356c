"""Sessions end when idle, on "sign out everywhere", and (the others) on a password change."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from accounts.sessions import LAST_ACTIVITY_KEY

DASHBOARD = "bookings:dashboard"
LOGIN = "/accounts/login/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def is_signed_in(client) -> bool:
    response = client.get(reverse(DASHBOARD))
    if response.status_code == 302:
        assert response["Location"].startswith(LOGIN)
        return False
    assert response.status_code == 200
    return True


def set_last_activity(client, seconds_ago: int):
    import time

    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_a_session_idle_past_the_limit_is_signed_out(operations_user, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 600
    client = signed_in(operations_user)
    set_last_activity(client, 601)
    assert not is_signed_in(client)


def test_a_session_used_within_the_limit_stays_and_its_activity_moves_on(operations_user, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 600
    client = signed_in(operations_user)
    set_last_activity(client, 590)
    assert is_signed_in(client)
    set_last_activity(client, 0)
    stamped = client.session[LAST_ACTIVITY_KEY]
    assert is_signed_in(client)
    # Within a minute of the last stamp the session is not rewritten.
    assert client.session[LAST_ACTIVITY_KEY] == stamped


def test_the_activity_is_restamped_after_a_minute(operations_user, settings):
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 600
    client = signed_in(operations_user)
    set_last_activity(client, 120)
    before = client.session[LAST_ACTIVITY_KEY]
    assert is_signed_in(client)
    assert client.session[LAST_ACTIVITY_KEY] >= before + 120


def test_sign_out_everywhere_ends_every_session_of_the_user_only(operations_user, finance_user):
    phone, laptop, colleague = signed_in(operations_user), signed_in(operations_user), signed_in(finance_user)
    response = laptop.post(reverse("accounts:sign_out_everywhere"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert is_signed_in(colleague)
    assert Profile.objects.get(user=operations_user).session_generation == 1
    assert is_signed_in(signed_in(operations_user))


def test_sign_out_everywhere_takes_only_a_post(operations_user):
    client = signed_in(operations_user)
    assert client.get(reverse("accounts:sign_out_everywhere")).status_code == 405
    assert is_signed_in(client)


def test_the_user_menu_offers_sign_out_everywhere(operations_user):
    body = signed_in(operations_user).get(reverse(DASHBOARD)).content.decode()
    assert f'action="{reverse("accounts:sign_out_everywhere")}"' in body


def test_an_admin_signs_a_user_out_everywhere(operations_user, superuser):
    victim = signed_in(operations_user)
    admin = signed_in(superuser)
    response = admin.post(
        reverse("admin:auth_user_changelist"),
        {"action": "sign_out_everywhere", "_selected_action": [operations_user.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 user signed out on every device." in response.content.decode()
    assert not is_signed_in(victim)
    assert admin.get(reverse("admin:index")).status_code == 200


def test_a_password_change_signs_out_the_other_sessions_and_keeps_this_one(superuser):
    changing, other = signed_in(superuser), signed_in(superuser)
    response = changing.post(
        reverse("admin:password_change"),
        {
            "old_password": "pass-for-tests",
            "new_password1": "a-New-pass-4-tests",
            "new_password2": "a-New-pass-4-tests",
        },
    )
    assert response.status_code == 302
    assert is_signed_in(changing)
    assert not is_signed_in(other)


@pytest.mark.django_db
def test_a_fresh_login_is_stamped(client, operations_user):
    client.post(LOGIN, {"username": "ops", "password": "pass-for-tests"})
    assert LAST_ACTIVITY_KEY in client.session
