"""The "Test connection" check: one harmless call per credential, its verdict stored, the admin action."""

import pytest
import requests
import responses
from django.contrib.messages import get_messages
from django.urls import reverse

from partners import connection_check
from partners.models import Credential, UpstreamCall
from tests.partners.test_client import envelope

SANAR_VIDEO = "https://sanar.test/v1"
SANAR_KIDS = "https://sanar-kids.test/v1"
SANDICARE_ENROLL = "https://sandicare.test/api/v1/meetings/enroll"


@pytest.fixture(autouse=True)
def _calls_allowed_in_test_transaction(settings):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False


@pytest.fixture
def mock_http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def stored(credential):
    return Credential.objects.get(pk=credential.pk)


def test_video_check_lists_specialities(mock_http, sanar_video_credential):
    mock_http.get(
        f"{SANAR_VIDEO}/specialities", json=envelope(1000, "ok", {"specialities": [{"id": "DP34", "name": "FM"}]})
    )

    result = connection_check.check_connection(sanar_video_credential)

    assert result.ok and "1 specialities" in result.summary
    credential = stored(sanar_video_credential)
    assert credential.last_checked_at and credential.last_check_result == result.summary
    assert UpstreamCall.objects.get().operation == "specialities"


def test_vaccination_check_lists_services_and_clears_a_failing_flag(mock_http, sanar_vaccination_credential):
    Credential.objects.filter(pk=sanar_vaccination_credential.pk).update(is_failing=True, failing_reason="old")
    sanar_vaccination_credential.refresh_from_db()
    mock_http.post(f"{SANAR_KIDS}/services", json=envelope("1000", "ok", {"services": []}))

    result = connection_check.check_connection(sanar_vaccination_credential)

    assert result.ok and "0 services" in result.summary
    assert not stored(sanar_vaccination_credential).is_failing


def test_sanar_unauthorized_marks_the_credential_failing(mock_http, sanar_video_credential):
    mock_http.get(f"{SANAR_VIDEO}/specialities", json=envelope(1002, "Token revoked"))

    result = connection_check.check_connection(sanar_video_credential)

    assert not result.ok and "Token revoked" in result.summary
    credential = stored(sanar_video_credential)
    assert credential.is_failing and credential.last_check_result == result.summary


def test_an_unreachable_partner_is_reported_without_blaming_the_credential(mock_http, sanar_video_credential):
    mock_http.get(f"{SANAR_VIDEO}/specialities", body=requests.exceptions.ConnectTimeout())

    result = connection_check.check_connection(sanar_video_credential)

    assert not result.ok and result.summary.startswith("Timeout before send")
    assert not stored(sanar_video_credential).is_failing


def test_sandicare_400_on_an_empty_enrollment_means_the_key_is_good(mock_http, sandicare_credential):
    mock_http.post(SANDICARE_ENROLL, status=400, json={"error": "invalid_request", "message": "programId is required"})

    result = connection_check.check_connection(sandicare_credential)

    assert result.ok and "API key accepted" in result.summary
    assert mock_http.calls[0].request.body == b"{}"
    assert mock_http.calls[0].request.headers["x-api-key"] == sandicare_credential.api_key
    assert UpstreamCall.objects.get().operation == "connection_check"


def test_sandicare_401_means_the_key_is_not_good(mock_http, sandicare_credential):
    mock_http.post(SANDICARE_ENROLL, status=401, json={"error": "unauthorized", "message": "Invalid API key"})

    result = connection_check.check_connection(sandicare_credential)

    assert not result.ok and "Invalid API key" in result.summary
    assert stored(sandicare_credential).is_failing


@pytest.mark.parametrize("status", [404, 502, 503])
def test_sandicare_other_answers_are_not_ok(mock_http, sandicare_credential, status):
    mock_http.post(SANDICARE_ENROLL, status=status, body="<html>nope</html>")
    result = connection_check.check_connection(sandicare_credential)
    assert not result.ok
    assert not stored(sandicare_credential).is_failing


# --- the admin action ---


def test_admin_action_reports_each_credential(
    mock_http, client, superuser, sanar_video_credential, sandicare_credential
):
    mock_http.get(f"{SANAR_VIDEO}/specialities", json=envelope(1000, "ok", {"specialities": []}))
    mock_http.post(SANDICARE_ENROLL, status=401, json={"error": "unauthorized", "message": "Invalid API key"})
    client.force_login(superuser)

    response = client.post(
        reverse("admin:partners_credential_changelist"),
        {"action": "test_connection", "_selected_action": [sanar_video_credential.pk, sandicare_credential.pk]},
        follow=True,
    )

    assert response.status_code == 200
    shown = {(m.level_tag, m.message) for m in get_messages(response.wsgi_request)}
    assert any(level == "success" and "Reachable" in text for level, text in shown)
    assert any(level == "error" and "Invalid API key" in text for level, text in shown)
    assert not any(sandicare_credential.api_key in text for _, text in shown)
    assert stored(sandicare_credential).last_checked_at is not None


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
