from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from partners import hosts
from partners.fields import EncryptedTextField, mask
from partners.models.partner import Partner


class Credential(models.Model):
    """How the portal authenticates to one partner product in one environment.

    Secrets are encrypted at rest and never printed in clear: ``__str__``, admin and logs
    show them masked. At most one credential is active per partner and environment.
    """

    class Environment(models.TextChoices):
        SANDBOX = "sandbox", _("Sandbox")
        PRODUCTION = "production", _("Production")

    class HmacAlgorithm(models.TextChoices):
        SHA256 = "sha256", _("HMAC-SHA256")
        SHA512 = "sha512", _("HMAC-SHA512")

    class SignatureEncoding(models.TextChoices):
        HEX = "hex", _("lowercase hex")
        BASE64 = "base64", _("base64")

    SANDICARE_KEY_PREFIXES: dict[str, str] = {Environment.PRODUCTION: "prd_", Environment.SANDBOX: "sdx_"}

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="credentials"
    )
    environment = models.CharField(
        _("environment"), max_length=16, choices=Environment.choices, default=Environment.SANDBOX
    )
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("Free text, e.g. who issued it and when.")
    )
    base_url = models.URLField(
        _("base URL"), help_text=_("The partner's API base URL for this environment, e.g. https://api.litedev.com/v1")
    )
    is_active = models.BooleanField(_("active"), default=True)

    # Sanar
    auth_token = EncryptedTextField(_("Authorization token"), blank=True)
    auth_prefix = models.CharField(
        _("Authorization prefix"),
        max_length=20,
        blank=True,
        help_text=_('Sent before the token, e.g. "Bearer ". Empty: the raw token (Sanar default).'),
    )
    cmt_secret = EncryptedTextField(_("Cmt signing secret"), blank=True)
    cmt_algorithm = models.CharField(
        _("Cmt algorithm"), max_length=8, choices=HmacAlgorithm.choices, default=HmacAlgorithm.SHA256
    )
    cmt_encoding = models.CharField(
        _("Cmt signature encoding"), max_length=8, choices=SignatureEncoding.choices, default=SignatureEncoding.HEX
    )
    product_code = models.CharField(
        _("product code (prd_id)"), max_length=64, blank=True, help_text=_("Sanar kids vaccination product code.")
    )

    # Sandicare
    api_key = EncryptedTextField(_("x-api-key"), blank=True)
    program_ids = models.CharField(
        _("program ids"),
        max_length=200,
        blank=True,
        validators=[RegexValidator(r"^\d+(,\s*\d+)*$", gettext_lazy("Program ids are digits, separated by commas."))],
        help_text=_("Sandicare programId, or several separated by commas."),
    )

    # Health, written by "Test connection" and by calls that fail authentication.
    is_failing = models.BooleanField(_("is failing"), default=False)
    failing_reason = models.CharField(_("failing reason"), max_length=300, blank=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    last_check_result = models.CharField(_("last check result"), max_length=300, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["partner__name", "environment", "-is_active", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "environment"],
                condition=Q(is_active=True),
                name="one_active_credential_per_partner_environment",
                violation_error_message=_("This partner already has an active credential in this environment."),
            )
        ]

    def __str__(self):
        return f"{self.partner} · {self.get_environment_display()} · {self.masked_secret or gettext('no secret')}"

    def save(self, *args, **kwargs):
        # The key-prefix rule holds for every save path, not only forms that call full_clean().
        if error := self.key_prefix_error():
            raise ValidationError({"api_key": error})
        super().save(*args, **kwargs)

    @property
    def masked_secret(self) -> str:
        return mask(self.api_key or self.auth_token)

    @property
    def programs(self) -> list[str]:
        return [p.strip() for p in self.program_ids.split(",") if p.strip()]

    def key_prefix_error(self) -> str | None:
        """Why a Sandicare key does not fit this credential's environment, or None."""
        if not (self.partner_id and self.partner.vendor == Partner.Vendor.SANDICARE and self.api_key):
            return None
        expected = self.SANDICARE_KEY_PREFIXES[self.environment]
        if self.api_key.startswith(expected):
            return None
        if self.environment == self.Environment.PRODUCTION:
            message = gettext(
                "A production Sandicare key starts with “%(prefix)s”; this key belongs to the other environment."
            )
        else:
            message = gettext(
                "A sandbox Sandicare key starts with “%(prefix)s”; this key belongs to the other environment."
            )
        return message % {"prefix": expected}

    def base_url_error(self) -> str | None:
        """Why this credential must not send its secrets to its base URL, or None (partners/hosts.py)."""
        partner_code = self.partner.code if self.partner_id else ""
        return hosts.base_url_error(self.base_url, partner_code=partner_code, environment=self.environment)

    def clean(self):
        super().clean()
        errors = {}
        if self.base_url and (url_error := self.base_url_error()):
            errors["base_url"] = url_error
        if self.partner_id and self.partner.vendor == Partner.Vendor.SANDICARE:
            if not self.api_key:
                errors["api_key"] = gettext("Sandicare needs an x-api-key.")
            elif prefix_error := self.key_prefix_error():
                errors["api_key"] = prefix_error
            if not self.program_ids:
                errors["program_ids"] = gettext("Sandicare needs the programId issued with the key.")
        elif self.partner_id:
            if not self.auth_token:
                errors["auth_token"] = gettext("Sanar needs an Authorization token.")
            if not self.cmt_secret:
                errors["cmt_secret"] = gettext("Sanar needs the Cmt signing secret.")
            if self.partner.code == Partner.Code.SANAR_VACCINATION and not self.product_code:
                errors["product_code"] = gettext("Kids vaccination needs the product code (prd_id).")
        if errors:
            raise ValidationError(errors)
