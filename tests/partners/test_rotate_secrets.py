"""Rotation: ``rotate_secrets`` (a new encryption key) and "Save as new" (a new partner secret)."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from partner_simulator import demo_keys
from partners.fields import SecretDecryptionError
from partners.models import Credential

SECRET_COLUMNS = ("auth_token", "cmt_secret", "api_key")


def raw(credential, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM partners_credential WHERE id = %s", [credential.pk])
        return cursor.fetchone()[0]


# --- rotate_secrets: re-encrypt with the newest key ---


def test_rotate_secrets_re_encrypts_every_secret_with_the_newest_key(
    sanar_video_credential, sandicare_credential, settings
):
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    before = {column: raw(sanar_video_credential, column) for column in ("auth_token", "cmt_secret")}
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *old_keys]
    out = StringIO()

    call_command("rotate_secrets", stdout=out)

    assert "Rotated 3 secrets in 2 of 2 credentials" in out.getvalue()
    assert raw(sanar_video_credential, "auth_token") != before["auth_token"]
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can now be dropped
    video = Credential.objects.get(pk=sanar_video_credential.pk)
    assert (video.auth_token, video.cmt_secret) == (demo_keys.SANAR_TOKEN, demo_keys.SANAR_CMT_SECRET)
    assert Credential.objects.get(pk=sandicare_credential.pk).api_key == demo_keys.SANDICARE_SANDBOX_KEY
    assert raw(sandicare_credential, "auth_token") == ""  # empty secrets stay empty


def test_without_rotation_dropping_the_old_key_loses_access(sanar_video_credential, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(SecretDecryptionError):
        Credential.objects.get(pk=sanar_video_credential.pk)


def test_a_secret_no_key_can_read_stops_the_command_and_changes_nothing(
    sanar_video_credential, sandicare_credential, settings
):
    before = raw(sanar_video_credential, "auth_token")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_secrets", stdout=StringIO())

    assert raw(sanar_video_credential, "auth_token") == before


def test_rotate_secrets_with_no_credentials(db):
    out = StringIO()
    call_command("rotate_secrets", stdout=out)
    assert "Rotated 0 secrets in 0 of 0 credentials" in out.getvalue()


# --- admin "Save as new": a new credential, the old one kept inactive ---


def form_data(credential, **changes):
    data = {
        "partner": credential.partner_id,
        "environment": credential.environment,
        "label": credential.label,
        "base_url": credential.base_url,
        "is_active": "on",
        "auth_token": "",
        "auth_prefix": credential.auth_prefix,
        "cmt_secret": "",
        "cmt_algorithm": credential.cmt_algorithm,
        "cmt_encoding": credential.cmt_encoding,
        "product_code": credential.product_code,
        "api_key": "",
        "program_ids": credential.program_ids,
    }
    data.update(changes)
    return data


def test_save_as_new_rotates_and_keeps_the_old_credential_inactive(client, partner_admin_user, sanar_video_credential):
    client.force_login(partner_admin_user)
    url = reverse("admin:partners_credential_change", args=[sanar_video_credential.pk])

    response = client.post(
        url,
        form_data(
            sanar_video_credential,
            auth_token="rotated-token-2026",
            cmt_secret="rotated-secret-2026",
            label="May 2026",
            _saveasnew="Save as new",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    old = Credential.objects.get(pk=sanar_video_credential.pk)
    new = Credential.objects.exclude(pk=old.pk).get()
    assert not old.is_active and old.auth_token == demo_keys.SANAR_TOKEN
    assert new.is_active and new.label == "May 2026" and new.created_by == partner_admin_user
    assert new.auth_token == "rotated-token-2026"
    assert new.cmt_secret == "rotated-secret-2026"


def test_save_as_new_requires_the_new_secrets(client, partner_admin_user, sanar_video_credential):
    client.force_login(partner_admin_user)
    url = reverse("admin:partners_credential_change", args=[sanar_video_credential.pk])

    response = client.post(url, form_data(sanar_video_credential, label="typed", _saveasnew="Save as new"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Type the new secret: a rotation replaces it.") == 2  # token and Cmt secret
    assert 'value="typed"' in html  # what was typed stays
    assert Credential.objects.count() == 1 and Credential.objects.get().is_active


def test_save_as_new_page_never_renders_a_secret(client, partner_admin_user, sanar_video_credential):
    client.force_login(partner_admin_user)
    page = client.get(reverse("admin:partners_credential_change", args=[sanar_video_credential.pk]))
    html = page.content.decode()
    assert "Save as new" in html
    assert demo_keys.SANAR_TOKEN not in html and demo_keys.SANAR_CMT_SECRET not in html


def test_save_as_new_refuses_when_another_credential_is_active(client, partner_admin_user, sanar_video_credential):
    sanar_video_credential.is_active = False
    sanar_video_credential.save()
    active = Credential.objects.create(
        partner=sanar_video_credential.partner,
        base_url="https://sanar.test/v1",
        auth_token="t-active-000",
        cmt_secret="s-active-000",
    )
    client.force_login(partner_admin_user)
    url = reverse("admin:partners_credential_change", args=[sanar_video_credential.pk])

    response = client.post(
        url, form_data(sanar_video_credential, auth_token="t-new", cmt_secret="s-new", _saveasnew="Save as new")
    )

    assert response.status_code == 200
    assert "another active credential" in response.content.decode()
    assert Credential.objects.count() == 2 and Credential.objects.get(pk=active.pk).is_active


def test_plain_save_keeps_stored_secrets(client, partner_admin_user, sandicare_credential):
    client.force_login(partner_admin_user)
    url = reverse("admin:partners_credential_change", args=[sandicare_credential.pk])

    response = client.post(url, form_data(sandicare_credential, label="renamed", _save="Save"))

    assert response.status_code == 302
    credential = Credential.objects.get(pk=sandicare_credential.pk)
    assert credential.label == "renamed" and credential.api_key == demo_keys.SANDICARE_SANDBOX_KEY
    assert Credential.objects.count() == 1
