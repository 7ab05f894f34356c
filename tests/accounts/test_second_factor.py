"""Two-factor sign-in through the real login form: who needs a code, set-up, throttling,
recovery codes, the admin behind the same factor, and an admin's reset of a user's devices."""

import base64

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from partner_simulator.demo_second_factor import code_for_key, demo_device
from tests.conftest import TEST_TOTP_KEY, password_only_login

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
PASSWORD = "pass-for-tests"
DASHBOARD = "/"


def password_step(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def code_step(client, code, step="token"):
    return client.post(LOGIN, {"login_view-current_step": step, f"{step}-otp_token": code})


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def with_device():
    def make(user):
        return demo_device(user, key=TEST_TOTP_KEY)

    return make


# --- who needs a second factor ----------------------------------------------------------------


def test_operations_signs_in_with_a_password_only(operations_user):
    client = Client()
    assert password_step(client, "ops").url == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_operations_is_sent_to_set_up_when_the_setting_is_on(operations_user, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_OPERATIONS = True
    client = Client()
    password_step(client, "ops")
    assert client.get(DASHBOARD).url == reverse("two_factor:setup")


@pytest.mark.parametrize("persona", ["finance_user", "partner_admin_user", "superuser"])
def test_a_role_that_needs_it_without_a_device_is_sent_to_set_up_from_every_page(persona, request):
    user = request.getfixturevalue(persona)
    client = Client()
    assert password_step(client, user.username).status_code == 302
    for path in (DASHBOARD, reverse("bookings:list"), reverse("patients:list"), "/admin/"):
        assert client.get(path).url == reverse("two_factor:setup"), path
    assert client.get(reverse("api:booking-list")).status_code == 403
    assert client.get(reverse("two_factor:setup")).status_code == 200


@pytest.mark.parametrize("persona", ["finance_user", "partner_admin_user", "superuser"])
def test_with_a_device_the_password_alone_signs_no_one_in(persona, request, with_device):
    user = request.getfixturevalue(persona)
    with_device(user)
    client = Client()
    response = password_step(client, user.username)
    assert response.status_code == 200
    assert 'name="token-otp_token"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(DASHBOARD).url.startswith(LOGIN)


@pytest.mark.parametrize("persona", ["finance_user", "partner_admin_user", "superuser"])
def test_with_a_device_and_the_right_code_they_are_in(persona, request, with_device):
    user = request.getfixturevalue(persona)
    with_device(user)
    client = Client()
    password_step(client, user.username)
    response = code_step(client, code_for_key(TEST_TOTP_KEY))
    assert response.status_code == 302 and response.url == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200
    if user.is_staff:
        assert client.get("/admin/").status_code == 200


# --- wrong codes, throttling, recovery codes ---------------------------------------------------


def test_a_wrong_code_is_an_error_and_then_codes_are_throttled(finance_user, with_device):
    with_device(finance_user)
    client = Client()
    password_step(client, "fin")
    right = code_for_key(TEST_TOTP_KEY)
    response = code_step(client, wrong(right))
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    # Right after a failure even the right code is refused, with a message saying why.
    response = code_step(client, right)
    assert "Too many wrong codes: wait a few seconds" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert TOTPDevice.objects.get(user=finance_user).throttling_failure_count == 1


def test_a_recovery_code_works_once(finance_user, with_device):
    with_device(finance_user)
    backup = StaticDevice.objects.create(user=finance_user, name="backup")
    backup.token_set.create(token="recover1")
    client = Client()
    page = password_step(client, "fin").content.decode()
    assert "Use a recovery code" in page
    response = client.post(LOGIN, {"wizard_goto_step": "backup"})
    assert 'name="backup-otp_token"' in response.content.decode()
    assert code_step(client, "recover1", step="backup").url == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200

    again = Client()
    password_step(again, "fin")
    again.post(LOGIN, {"wizard_goto_step": "backup"})
    response = code_step(again, "recover1", step="backup")
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()


# --- set-up on first login -------------------------------------------------------------------


def test_set_up_with_the_qr_code_then_recovery_codes(finance_user):
    client = Client()
    password_step(client, "fin")
    assert client.get(DASHBOARD).url == reverse("two_factor:setup")
    setup = reverse("two_factor:setup")
    page = client.post(setup, {"setup_view-current_step": "welcome"}).content.decode()
    assert reverse("two_factor:qr") in page
    qr = client.get(reverse("two_factor:qr"))
    assert qr.status_code == 200 and qr["Content-Type"].startswith("image/svg+xml")
    key = client.session["django_two_factor-qr_secret_key"]
    assert key in page
    hex_key = base64.b32decode(key + "=" * (-len(key) % 8)).hex()
    bad = client.post(setup, {"setup_view-current_step": "generator", "generator-token": wrong(code_for_key(hex_key))})
    assert bad.status_code == 200 and not TOTPDevice.objects.filter(user=finance_user).exists()
    done = client.post(setup, {"setup_view-current_step": "generator", "generator-token": code_for_key(hex_key)})
    assert done.url == reverse("two_factor:setup_complete")
    assert TOTPDevice.objects.get(user=finance_user).confirmed
    assert client.get(DASHBOARD).status_code == 200  # this session gave the code
    codes = client.post(reverse("two_factor:backup_tokens"), follow=True).content.decode()
    tokens = StaticDevice.objects.get(user=finance_user).token_set.values_list("token", flat=True)
    assert len(tokens) == 10 and all(token in codes for token in tokens)


def test_a_session_without_the_code_for_a_user_with_a_device_goes_back_to_the_login(finance_user, with_device):
    with_device(finance_user)
    client = Client()
    password_only_login(client, finance_user)
    response = client.get(reverse("bookings:list"))
    assert response.url == f"{LOGIN}?next={reverse('bookings:list')}"
    assert "_auth_user_id" not in client.session


# --- the admin -------------------------------------------------------------------------------


def test_the_admin_needs_the_second_factor(superuser, with_device):
    with_device(superuser)
    client = Client()
    password_only_login(client, superuser)
    assert client.get("/admin/").url.startswith(LOGIN)
    client.force_login(superuser)  # password and code
    assert client.get("/admin/").status_code == 200


def test_an_admin_resets_a_users_devices_and_it_is_recorded(superuser, finance_user, with_device):
    with_device(finance_user)
    StaticDevice.objects.create(user=finance_user, name="backup").token_set.create(token="recover1")
    signed_in = Client()
    signed_in.force_login(finance_user)
    assert signed_in.get(DASHBOARD).status_code == 200

    admin = Client()
    admin.force_login(superuser)
    response = admin.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [finance_user.pk]},
        follow=True,
    )
    assert "they set up two-factor sign-in again at their next login" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=finance_user).exists()
    assert not StaticDevice.objects.filter(user=finance_user).exists()
    entry = LogEntry.objects.get(object_id=str(finance_user.pk))
    assert entry.user == superuser
    assert entry.get_change_message() == "Changed two-factor sign-in (devices reset)."
    history = admin.get(reverse("admin:auth_user_history", args=[finance_user.pk])).content.decode()
    assert "two-factor sign-in (devices reset)" in history
    # Their sessions ended; at the next login they set up again.
    assert signed_in.get(DASHBOARD).url.startswith(LOGIN)
    fresh = Client()
    password_step(fresh, "fin")
    assert fresh.get(DASHBOARD).url == reverse("two_factor:setup")


def test_the_device_admins_that_show_keys_are_not_registered(superuser):
    client = Client()
    client.force_login(superuser)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


# --- languages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, rtl, text",
    [("ar", True, "رمز الاسترداد"), ("es", False, "código de recuperación"), ("en", False, "recovery code")],
)
def test_the_code_step_speaks_the_language(language, rtl, text, finance_user, with_device):
    with_device(finance_user)
    StaticDevice.objects.create(user=finance_user, name="backup").token_set.create(token="recover1")
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    page = password_step(client, "fin").content.decode()
    assert f'<html lang="{language}" dir="{"rtl" if rtl else "ltr"}">' in page
    assert text in page


@pytest.mark.parametrize(
    "language, text", [("ar", "إعداد تسجيل الدخول بخطوتين"), ("es", "Configurar el inicio de sesión en dos pasos")]
)
def test_the_set_up_speaks_the_language(language, text, finance_user):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    password_step(client, "fin")
    page = client.get(reverse("two_factor:setup")).content.decode()
    assert text in page


def test_a_next_that_is_not_a_path_goes_to_the_dashboard(finance_user, with_device):
    with_device(finance_user)
    client = Client()
    client.post(f"{LOGIN}?next=report", {"username": "fin", "password": PASSWORD})
    response = client.post(
        f"{LOGIN}?next=report", {"login_view-current_step": "token", "token-otp_token": code_for_key(TEST_TOTP_KEY)}
    )
    assert response.url == DASHBOARD
    assert client.get(f"{reverse('two_factor:setup')}?next=0001-01-01").url == reverse("two_factor:setup_complete")


def test_django_axes_still_throttles_the_password_and_lets_the_code_step_through(finance_user, with_device, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    with_device(finance_user)
    client = Client()
    password_step(client, "fin")
    assert code_step(client, code_for_key(TEST_TOTP_KEY)).url == DASHBOARD
    locked = Client()
    for _ in range(2):
        assert password_step(locked, "fin", "wrong").status_code == 200
    assert password_step(locked, "fin", "wrong").status_code == 429
    assert password_step(locked, "fin").status_code == 429
