"""A credential's own admin page: its partner kind's fields only, working shown the right way
round, a Test connection button, and a history of who changed which field (never the values)."""

import pytest
from django.urls import reverse

from partners import connection_check
from partners.models import Credential
from tests.partners.test_rotate_secrets import form_data

pytestmark = pytest.mark.django_db


def change_url(credential):
    return reverse("admin:partners_credential_change", args=[credential.pk])


def test_only_the_fields_of_the_partner_kind_are_shown(
    client, partner_admin_user, sanar_video_credential, sandicare_credential
):
    client.force_login(partner_admin_user)
    sanar = client.get(change_url(sanar_video_credential)).content.decode()
    sandicare = client.get(change_url(sandicare_credential)).content.decode()
    assert 'name="cmt_secret"' in sanar and 'name="api_key"' not in sanar and 'name="program_ids"' not in sanar
    assert (
        'name="api_key"' in sandicare and 'name="cmt_secret"' not in sandicare and 'name="auth_token"' not in sandicare
    )


def test_working_is_a_tick_and_failing_a_cross(client, partner_admin_user, sandicare_credential):
    client.force_login(partner_admin_user)
    listing = reverse("admin:partners_credential_changelist")
    working = '<td class="field-working"><img src="/static/admin/img/icon-yes.svg" alt="True">'
    failing = '<td class="field-working"><img src="/static/admin/img/icon-no.svg" alt="False">'
    assert working in client.get(listing).content.decode()
    Credential.objects.filter(pk=sandicare_credential.pk).update(is_failing=True)
    page = client.get(listing).content.decode()
    assert failing in page and working not in page


def test_the_change_page_has_a_test_connection_button(client, partner_admin_user, sandicare_credential, monkeypatch):
    checked = []

    def check(credential):
        checked.append(credential.pk)
        return connection_check.CheckResult(ok=True, checked=("address",), secrets_proved=True)

    monkeypatch.setattr(connection_check, "check_connection", check)
    client.force_login(partner_admin_user)
    page = client.get(change_url(sandicare_credential)).content.decode()
    test_url = reverse("admin:partners_credential_test_connection", args=[sandicare_credential.pk])
    assert f'action="{test_url}"' in page and "Test connection" in page

    assert client.get(test_url).status_code == 403  # a GET checks nothing
    response = client.post(test_url, follow=True)
    assert response.redirect_chain[-1][0] == change_url(sandicare_credential)
    assert checked == [sandicare_credential.pk]
    assert str(sandicare_credential) in response.content.decode()


def test_the_history_says_who_changed_which_field_never_the_value(client, partner_admin_user, sandicare_credential):
    client.force_login(partner_admin_user)
    saved = client.post(
        change_url(sandicare_credential),
        form_data(sandicare_credential, label="renamed", api_key="sdx_new-key-never-shown-42", _save="Save"),
    )
    assert saved.status_code == 302
    history = client.get(reverse("admin:partners_credential_history", args=[sandicare_credential.pk]))
    html = history.content.decode()
    assert partner_admin_user.get_username() in html
    assert "Changed Label and X-api-key." in html  # Django records the changed fields, never their values
    assert "sdx_new-key-never-shown-42" not in html and "renamed" not in html
