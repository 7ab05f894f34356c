"""The login form checks the username's length before anyone tries to authenticate it."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True


def test_a_10000_character_username_is_a_form_error():
    response = Client().post(reverse("accounts:login"), {"username": "a" * 10_000, "password": "x"})
    assert response.status_code == 200
    assert "at most 150 characters" in response.context["form"].errors["username"][0]
    assert not AccessAttempt.objects.exists()  # never reached authenticate(), so axes stored nothing


def test_a_wrong_password_is_still_counted(operations_user):
    response = Client().post(reverse("accounts:login"), {"username": operations_user.username, "password": "wrong"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == operations_user.username
