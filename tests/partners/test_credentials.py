import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from partner_simulator import demo_keys
from partners.fields import SecretDecryptionError, mask
from partners.models import Credential, Partner


def _raw_column(credential, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM partners_credential WHERE id = %s", [credential.pk])
        return cursor.fetchone()[0]


def test_secrets_are_encrypted_in_the_database_column(sanar_video_credential, sandicare_credential):
    for credential, column, secret in [
        (sanar_video_credential, "auth_token", demo_keys.SANAR_TOKEN),
        (sanar_video_credential, "cmt_secret", demo_keys.SANAR_CMT_SECRET),
        (sandicare_credential, "api_key", demo_keys.SANDICARE_SANDBOX_KEY),
    ]:
        stored = _raw_column(credential, column)
        assert secret not in stored
        assert stored.startswith("gAAAA")  # a Fernet token
        assert getattr(Credential.objects.get(pk=credential.pk), column) == secret


def test_wrong_key_raises_instead_of_returning_ciphertext(sandicare_credential, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(SecretDecryptionError):
        Credential.objects.get(pk=sandicare_credential.pk)


def test_rotated_keys_still_decrypt_old_values(sandicare_credential, settings):
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
    assert Credential.objects.get(pk=sandicare_credential.pk).api_key == demo_keys.SANDICARE_SANDBOX_KEY


@pytest.mark.parametrize(
    "environment, key",
    [
        (Credential.Environment.SANDBOX, demo_keys.SANDICARE_PRODUCTION_KEY),
        (Credential.Environment.PRODUCTION, demo_keys.SANDICARE_SANDBOX_KEY),
    ],
)
def test_sandicare_key_prefix_must_match_environment(partners, environment, key):
    credential = Credential(
        partner=partners[Partner.Code.SANDICARE],
        environment=environment,
        base_url="https://sandicare.test/api/v1",
        api_key=key,
        program_ids="1001",
    )
    with pytest.raises(ValidationError) as excinfo:
        credential.full_clean()
    assert "other environment" in str(excinfo.value.message_dict["api_key"])
    with pytest.raises(ValidationError):
        credential.save()
    assert not Credential.objects.exists()


def test_one_active_credential_per_partner_and_environment(sandicare_credential):
    duplicate = Credential(
        partner=sandicare_credential.partner,
        environment=sandicare_credential.environment,
        base_url="https://sandicare.test/api/v1",
        api_key=demo_keys.SANDICARE_SANDBOX_KEY,
        program_ids="1001",
    )
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    duplicate.is_active = False
    duplicate.save()  # an inactive one is kept beside it (rotation)


def test_sanar_credential_requires_token_and_secret(partners):
    credential = Credential(partner=partners[Partner.Code.SANAR_VACCINATION], base_url="https://x.test/v1")
    with pytest.raises(ValidationError) as excinfo:
        credential.full_clean()
    assert {"auth_token", "cmt_secret", "product_code"} <= set(excinfo.value.message_dict)


def test_credential_prints_masked(sandicare_credential):
    text = str(sandicare_credential)
    assert demo_keys.SANDICARE_SANDBOX_KEY not in text
    assert text.endswith(demo_keys.SANDICARE_SANDBOX_KEY[-4:])
    assert mask("short") == "••••"
