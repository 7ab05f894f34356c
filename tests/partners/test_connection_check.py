"""The "Test connection" check: read-only steps, never a create call; what was checked and what was not."""

import pytest
import requests
from django.contrib.messages import get_messages
from django.urls import reverse

from partner_simulator import demo_keys
from partners import connection_check
from partners.models import Credential, UpstreamCall
from tests.partners.test_client import envelope

SANAR_VIDEO = "https://sanar.test/v1"
SANAR_KIDS = "https://sanar-kids.test/v1"
SANDICARE = "https://sandicare.test/api/v1"
DOCTOR = {"doctor_id": "EMP86190", "spec_id": "DP34", "name": "Dr. Prince George"}
SLOTS = {"doctor_id": "EMP86190", "slots": [{"slot_id": "S-0900", "time": "09:00", "available": True}]}


def stored(credential):
    return Credential.objects.get(pk=credential.pk)


def video_catalogue(mock_http):
    specialities = {"specialities": [{"id": "DP34", "name": "Family Medicine"}]}
    mock_http.get(f"{SANAR_VIDEO}/specialities", json=envelope(1000, "ok", specialities))
    mock_http.get(f"{SANAR_VIDEO}/doctors", json=envelope("1000", "ok", {"doctor": [DOCTOR]}))


def flag_failing(credential):
    Credential.objects.filter(pk=credential.pk).update(is_failing=True, failing_reason="old")
    credential.refresh_from_db()


# --- Sanar: a signed read call proves the token and the secret ---


def test_video_check_proves_token_and_secret_with_a_signed_slots_call(mock_http, sanar_video_credential):
    flag_failing(sanar_video_credential)
    video_catalogue(mock_http)
    mock_http.get(f"{SANAR_VIDEO}/slots", json=envelope("1000", "ok", SLOTS))

    result = connection_check.check_connection(sanar_video_credential)

    assert result.ok and result.secrets_proved
    assert "Authorization token and the Cmt secret are accepted" in result.summary
    assert "Not checked: /book (it would create a booking)" in result.summary
    slots_request = mock_http.calls[-1].request
    assert slots_request.method == "GET" and "/slots?" in slots_request.url
    assert slots_request.headers["Authorization"] == demo_keys.SANAR_TOKEN and slots_request.headers["Cmt"]
    assert all(call.request.method == "GET" for call in mock_http.calls)
    credential = stored(sanar_video_credential)
    assert not credential.is_failing and credential.last_check_result == result.summary
    assert list(UpstreamCall.objects.order_by("id").values_list("operation", flat=True)) == [
        "specialities",
        "doctors",
        "slots",
    ]


def test_vaccination_check_proves_token_and_secret_with_a_signed_browse_call(mock_http, sanar_vaccination_credential):
    services = {"services": [{"id": "VAC-MMR", "name": "MMR", "price": "150", "currency": "SAR"}]}
    mock_http.post(f"{SANAR_KIDS}/services", json=envelope("1000", "ok", services))
    mock_http.post(f"{SANAR_KIDS}/browse", json=envelope(1000, "ok", {"providers": []}))

    result = connection_check.check_connection(sanar_vaccination_credential)

    assert result.ok and result.secrets_proved
    assert [call.request.url.rsplit("/", 1)[1] for call in mock_http.calls] == ["services", "browse"]
    browse = mock_http.calls[1].request
    assert browse.headers["Authorization"] == demo_keys.SANAR_TOKEN and browse.headers["Cmt"]
    assert b'"services":["VAC-MMR"]' in browse.body


def test_sanar_unauthorized_on_the_signed_call_marks_the_credential_failing(mock_http, sanar_video_credential):
    video_catalogue(mock_http)
    mock_http.get(f"{SANAR_VIDEO}/slots", json=envelope(1002, "Token revoked"))

    result = connection_check.check_connection(sanar_video_credential)

    assert not result.ok and not result.secrets_proved and "Token revoked" in result.summary
    assert "Not checked: the Authorization token and the Cmt secret (signed /slots)" in result.summary
    credential = stored(sanar_video_credential)
    assert credential.is_failing and credential.last_check_result == result.summary


def test_a_signed_call_refused_for_its_fields_proves_nothing(mock_http, sanar_video_credential):
    flag_failing(sanar_video_credential)
    video_catalogue(mock_http)
    mock_http.get(f"{SANAR_VIDEO}/slots", json=envelope(1001, "date is invalid"))

    result = connection_check.check_connection(sanar_video_credential)

    assert not result.ok and "date is invalid" in result.summary
    assert "Not checked: the Authorization token and the Cmt secret" in result.summary
    assert stored(sanar_video_credential).is_failing  # nothing proved it healthy


def test_an_unreachable_partner_is_reported_without_blaming_the_credential(mock_http, sanar_video_credential):
    mock_http.get(f"{SANAR_VIDEO}/specialities", body=requests.exceptions.ConnectTimeout())

    result = connection_check.check_connection(sanar_video_credential)

    assert not result.ok and result.summary.startswith("Timeout before send")
    assert "Checked: the base URL is allowed (https://sanar.test)." in result.summary
    assert not stored(sanar_video_credential).is_failing


# --- Sandicare: only what can be checked without an enrollment ---


def test_sandicare_check_never_enrolls_and_says_the_key_was_not_checked(mock_http, sandicare_credential):
    mock_http.get(SANDICARE, status=404, json={"error": "not_found", "message": "Unknown endpoint."})

    result = connection_check.check_connection(sandicare_credential)

    assert result.ok and not result.secrets_proved
    assert "the key has the sandbox prefix sdx_" in result.summary
    assert "valid certificate, HTTP 404" in result.summary
    assert "Not checked: the key and the program ids" in result.summary
    (call,) = mock_http.calls
    assert call.request.method == "GET" and call.request.url.rstrip("/") == SANDICARE
    assert "x-api-key" not in call.request.headers
    row = UpstreamCall.objects.get()
    assert (row.operation, row.method, row.http_status) == ("connection_check", "GET", 404)


def test_sandicare_check_leaves_a_failing_flag_alone(mock_http, sandicare_credential):
    flag_failing(sandicare_credential)
    mock_http.get(SANDICARE, status=200, body="ok")
    assert connection_check.check_connection(sandicare_credential).ok
    assert stored(sandicare_credential).is_failing  # the key itself was not proved


def test_sandicare_key_of_the_other_environment_fails_without_connecting(mock_http, sandicare_credential):
    Credential.objects.filter(pk=sandicare_credential.pk).update(api_key=demo_keys.SANDICARE_PRODUCTION_KEY)
    sandicare_credential.refresh_from_db()

    result = connection_check.check_connection(sandicare_credential)

    assert not result.ok and "other environment" in result.summary
    assert len(mock_http.calls) == 0 and not UpstreamCall.objects.exists()
    assert stored(sandicare_credential).is_failing


def test_sandicare_unreachable_host(mock_http, sandicare_credential):
    mock_http.get(SANDICARE, body=requests.exceptions.ConnectionError("refused"))
    result = connection_check.check_connection(sandicare_credential)
    assert not result.ok and result.summary.startswith("Connection error")
    assert "Not checked: the host over the network; the key and the program ids" in result.summary


# --- a base URL outside the rules is refused before any connection ---


@pytest.mark.parametrize(
    "environment, base_url",
    [
        ("production", "http://169.254.169.254/latest"),
        ("production", "https://169.254.169.254/latest"),
        ("sandbox", "http://169.254.169.254/latest"),
        ("production", "http://127.0.0.1:8100/sanar/video/v1"),
    ],
)
def test_a_base_url_outside_the_rules_is_refused_without_connecting(
    mock_http, sanar_video_credential, environment, base_url
):
    Credential.objects.filter(pk=sanar_video_credential.pk).update(environment=environment, base_url=base_url)
    sanar_video_credential.refresh_from_db()

    result = connection_check.check_connection(sanar_video_credential)

    assert not result.ok and result.summary.startswith("Base URL refused, nothing was sent")
    assert len(mock_http.calls) == 0 and not UpstreamCall.objects.exists()
    assert stored(sanar_video_credential).is_failing


# --- against the partner simulator: it checks the token and the signature ---


@pytest.fixture
def simulated(partners, partner_simulator):
    def make(code, **secrets):
        values = {"auth_token": demo_keys.SANAR_TOKEN, "cmt_secret": demo_keys.SANAR_CMT_SECRET}
        if code == "sanar_vaccination":
            values["product_code"] = demo_keys.SANAR_PRODUCT_CODE
        if code == "sandicare":
            values = {"api_key": demo_keys.SANDICARE_SANDBOX_KEY, "program_ids": "1001"}
        credential = Credential(
            partner=partners[code], environment="sandbox", base_url=partner_simulator.base_url(code), **values
        )
        for name, value in secrets.items():
            setattr(credential, name, value)
        credential.full_clean()
        credential.save()
        return credential

    return make


@pytest.mark.parametrize("code", ["sanar_video", "sanar_vaccination"])
def test_simulator_accepts_the_right_secrets(simulated, partner_simulator, code):
    result = connection_check.check_connection(simulated(code))
    assert result.ok and result.secrets_proved, result.summary
    assert partner_simulator.creates() == []


@pytest.mark.parametrize("code", ["sanar_video", "sanar_vaccination"])
def test_simulator_refuses_a_wrong_cmt_secret(simulated, partner_simulator, code):
    credential = simulated(code, cmt_secret="not-the-secret")

    result = connection_check.check_connection(credential)

    assert not result.ok and "Credentials rejected" in result.summary and "Signature mismatch" in result.summary
    assert stored(credential).is_failing
    assert "not-the-secret" not in result.summary
    assert partner_simulator.creates() == []


@pytest.mark.parametrize("code", ["sanar_video", "sanar_vaccination"])
def test_simulator_refuses_a_wrong_token(simulated, code):
    result = connection_check.check_connection(simulated(code, auth_token="not-the-token"))
    assert not result.ok and "Invalid authorization token" in result.summary


def test_simulator_sandicare_check_sends_nothing_to_the_enroll_endpoint(simulated, partner_simulator):
    result = connection_check.check_connection(simulated("sandicare"))
    assert result.ok and not result.secrets_proved, result.summary
    assert "HTTP 404" in result.summary and "valid certificate" not in result.summary
    assert partner_simulator.received("sandicare.enroll") == []
    assert all("x-api-key" not in request["headers"] for request in partner_simulator.received())


# --- the admin action ---


def test_admin_action_reports_what_was_and_was_not_checked(
    mock_http, client, superuser, sanar_video_credential, sandicare_credential
):
    video_catalogue(mock_http)
    mock_http.get(f"{SANAR_VIDEO}/slots", json=envelope("1000", "ok", SLOTS))
    mock_http.get(SANDICARE, status=404)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:partners_credential_changelist"),
        {"action": "test_connection", "_selected_action": [sanar_video_credential.pk, sandicare_credential.pk]},
        follow=True,
    )

    assert response.status_code == 200
    shown = {(m.level_tag, m.message) for m in get_messages(response.wsgi_request)}
    assert any(level == "success" and "Cmt secret are accepted" in text for level, text in shown)
    assert any(level == "warning" and "Not checked: the key and the program ids" in text for level, text in shown)
    assert not any(sandicare_credential.api_key in text for _, text in shown)
    assert all(call.request.method == "GET" for call in mock_http.calls)
    assert stored(sandicare_credential).last_checked_at is not None


def test_admin_action_shows_an_error_for_a_refused_base_url(mock_http, client, superuser, sanar_video_credential):
    Credential.objects.filter(pk=sanar_video_credential.pk).update(
        base_url="http://sanar.test/v1", environment="production"
    )
    client.force_login(superuser)
    response = client.post(
        reverse("admin:partners_credential_changelist"),
        {"action": "test_connection", "_selected_action": [sanar_video_credential.pk]},
        follow=True,
    )
    shown = {(m.level_tag, m.message) for m in get_messages(response.wsgi_request)}
    assert any(level == "error" and "Base URL refused" in text for level, text in shown)
    assert len(mock_http.calls) == 0


def test_admin_action_needs_change_permission(client, operations_user, sanar_video_credential):
    operations_user.is_staff = True
    operations_user.save()
    client.force_login(operations_user)
    response = client.post(
        reverse("admin:partners_credential_changelist"),
        {"action": "test_connection", "_selected_action": [sanar_video_credential.pk]},
    )
    assert response.status_code == 403  # operations may not even view credentials
    assert not UpstreamCall.objects.exists()
