from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from partners import hosts
from partners.fields import EncryptedTextField, mask
from partners.models.partner import Partner


class Credential(models.Model):
    """How the portal authenticates to one partner product in one environment.

    Secrets are encrypted at rest and never printed in clear: ``__str__``, admin and logs
    show them masked. At most one credential is active per partner and environment.
    """

    class Environment(models.TextChoices):
        SANDBOX = "sandbox", "Sandbox"
        PRODUCTION = "production", "Production"

    class HmacAlgorithm(models.TextChoices):
        SHA256 = "sha256", "HMAC-SHA256"
        SHA512 = "sha512", "HMAC-SHA512"

    class SignatureEncoding(models.TextChoices):
        HEX = "hex", "lowercase hex"
        BASE64 = "base64", "base64"

    SANDICARE_KEY_PREFIXES: dict[str, str] = {Environment.PRODUCTION: "prd_", Environment.SANDBOX: "sdx_"}

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="credentials")
    environment = models.CharField(max_length=16, choices=Environment.choices, default=Environment.SANDBOX)
    label = models.CharField(max_length=100, blank=True, help_text="Free text, e.g. who issued it and when.")
    base_url = models.URLField(
        help_text="The partner's API base URL for this environment, e.g. https://api.litedev.com/v1"
    )
    is_active = models.BooleanField("active", default=True)

    # Sanar
    auth_token = EncryptedTextField("Authorization token", blank=True)
    auth_prefix = models.CharField(
        "Authorization prefix",
        max_length=20,
        blank=True,
        help_text='Sent before the token, e.g. "Bearer ". Empty: the raw token (Sanar default).',
    )
    cmt_secret = EncryptedTextField("Cmt signing secret", blank=True)
    cmt_algorithm = models.CharField(max_length=8, choices=HmacAlgorithm.choices, default=HmacAlgorithm.SHA256)
    cmt_encoding = models.CharField(max_length=8, choices=SignatureEncoding.choices, default=SignatureEncoding.HEX)
    product_code = models.CharField(
        "product code (prd_id)", max_length=64, blank=True, help_text="Sanar kids vaccination product code."
    )

    # Sandicare
    api_key = EncryptedTextField("x-api-key", blank=True)
    program_ids = models.CharField(
        "program ids",
        max_length=200,
        blank=True,
        validators=[RegexValidator(r"^\d+(,\s*\d+)*$", "Program ids are digits, separated by commas.")],
        help_text="Sandicare programId, or several separated by commas.",
    )

    # Health, written by "Test connection" and by calls that fail authentication.
    is_failing = models.BooleanField(default=False)
    failing_reason = models.CharField(max_length=300, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check_result = models.CharField(max_length=300, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["partner__name", "environment", "-is_active", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "environment"],
                condition=Q(is_active=True),
                name="one_active_credential_per_partner_environment",
                violation_error_message="This partner already has an active credential in this environment.",
            )
        ]

    def __str__(self):
        return f"{self.partner} · {self.get_environment_display()} · {self.masked_secret or 'no secret'}"

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
        return (
            f"A {self.get_environment_display().lower()} Sandicare key starts with “{expected}”; "
            "this key belongs to the other environment."
        )

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
                errors["api_key"] = "Sandicare needs an x-api-key."
            elif prefix_error := self.key_prefix_error():
                errors["api_key"] = prefix_error
            if not self.program_ids:
                errors["program_ids"] = "Sandicare needs the programId issued with the key."
        elif self.partner_id:
            if not self.auth_token:
                errors["auth_token"] = "Sanar needs an Authorization token."
            if not self.cmt_secret:
                errors["cmt_secret"] = "Sanar needs the Cmt signing secret."
            if self.partner.code == Partner.Code.SANAR_VACCINATION and not self.product_code:
                errors["product_code"] = "Kids vaccination needs the product code (prd_id)."
        if errors:
            raise ValidationError(errors)
