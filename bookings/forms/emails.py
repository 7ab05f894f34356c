"""Email addresses as patients have them: non-ASCII local parts (RFC 6531) and IDN domains.

Django's ``EmailField`` takes IDN domains but only ASCII before the ``@``, and a browser's
``<input type="email">`` refuses ``josé.núñez@example.mx`` before the form is sent. This field
is a text input (``inputmode="email"``) checked on the server, and keeps the address as typed,
NFC-normalised, so the partner receives the same characters the patient registered with.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.regex_helper import _lazy_re_compile

# RFC 5322 atext plus any non-ASCII character (RFC 6531 UTF8-non-ascii).
_ATEXT = r"[-!#$%&'*+/=?^_`{}|~0-9A-Z\u0080-\U0010ffff]"
# Invisible or layout characters have no place in an address: controls, separators, unassigned.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


def normalize_email(value: str) -> str:
    """The address as typed, trimmed and NFC-normalised ("é" one character, whatever the keyboard sent)."""
    return unicodedata.normalize("NFC", value.strip())


class InternationalEmailValidator(EmailValidator):
    """Django's checks (length, domain, IDN, address literal) with a Unicode local part."""

    user_regex = _lazy_re_compile(rf"^{_ATEXT}+(\.{_ATEXT}+)*\Z", re.IGNORECASE)

    def __call__(self, value):
        if any(unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in value):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        super().__call__(value)


class InternationalEmailField(forms.CharField):
    default_validators = [InternationalEmailValidator()]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        attrs = {
            "inputmode": "email",
            "autocomplete": "email",
            "autocapitalize": "off",
            "spellcheck": "false",
            "dir": "ltr",
        }
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_email(value) if value else value
