"""Secrets encrypted at rest with ``cryptography``'s MultiFernet.

Keys come from ``settings.FIELD_ENCRYPTION_KEYS``, newest first: the newest encrypts,
all of them decrypt, so keys rotate by prepending a new one and running
``manage.py rotate_secrets``. A value no configured key can decrypt raises
``SecretDecryptionError`` instead of leaking ciphertext as if it were the secret.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class SecretDecryptionError(Exception):
    """A stored secret cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS."""


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key.") from exc


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretDecryptionError("A stored secret cannot be decrypted: check FIELD_ENCRYPTION_KEYS.") from exc


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode()


def mask(value: str, visible: int = 4) -> str:
    """``••••abcd``: the last ``visible`` characters of a long enough secret, nothing of a short one."""
    if not value:
        return ""
    if len(value) < visible * 3:
        return "••••"
    return "••••" + value[-visible:]


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token; Python code only ever sees the clear value."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
