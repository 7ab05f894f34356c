"""The login's forms: the password (Django's, with the username's length checked on the server),
then a code from the authenticator app or a recovery code (django-two-factor-auth's)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from django_otp.forms import OTPAuthenticationFormMixin
from two_factor.forms import AuthenticationTokenForm, BackupTokenForm, TOTPDeviceForm
from two_factor.utils import totp_digits


class LoginForm(AuthenticationForm):
    """Django's login form sets ``maxlength`` on the username input but adds no validator, so a
    longer name reached ``authenticate()`` and django-axes failed to store it (a 500)."""

    # ``request`` named in the signature: the two-factor login passes it only then, and
    # django-axes refuses to authenticate without it.
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class CodeMessagesMixin:
    """django-otp's messages for a code, in the portal's words (and languages)."""

    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _("Enter the code."),
        "invalid_token": _("This code is not right. Check the app shows this portal and enter its newest code."),
        "n_failed_attempts": _("Too many wrong codes: wait a few seconds, then enter the newest code."),
        "verification_not_allowed": _("Codes cannot be checked right now: wait a few seconds and try again."),
        "device_required": _("Set up two-factor sign-in first."),
    }


class CodeForm(CodeMessagesMixin, AuthenticationTokenForm):
    """The login's second step: the code the authenticator app shows now."""

    otp_token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^[0-9]*$",
        min_length=totp_digits(),
        max_length=totp_digits(),
        error_messages={"invalid": _("Enter the 6 digits the app shows.")},
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class RecoveryCodeForm(CodeMessagesMixin, BackupTokenForm):
    """Instead of the app: one of the recovery codes, each good once."""

    otp_token = forms.CharField(
        label=_("Recovery code"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}),
    )


class SetupCodeForm(TOTPDeviceForm):
    """The set-up's proof that the app works: its current code, typed like the login's."""

    token = forms.IntegerField(
        label=_("Code from your authenticator app"),
        min_value=0,
        max_value=int("9" * totp_digits()),
        error_messages={"invalid": _("Enter the 6 digits the app shows.")},
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    error_messages = {
        "invalid_token": _("This code is not right. Check the app shows this portal and enter its newest code.")
    }
