from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partners.models import Partner


class SettlementImport(models.Model):
    """One settlement file a partner sent, as uploaded by finance, and what it matched.

    The file's bytes are kept with the row (written in the same transaction as its lines).
    ``sha256`` is unique per partner: uploading the same file again returns this import.
    """

    class State(models.TextChoices):
        VALIDATED = "validated", _("Validated, waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="settlement_imports"
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.VALIDATED)
    file_name = models.CharField(_("file name"), max_length=255, help_text=_("The name of the file as uploaded."))
    content = models.BinaryField(_("content"), help_text=_("The uploaded file, byte for byte."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("SHA-256 of the file content."))
    row_count = models.PositiveIntegerField(_("row count"), default=0)
    summary = models.JSONField(
        _("summary"),
        default=dict,
        blank=True,
        help_text=_("Counts per category, totals per currency, the period the file covers."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="settlement_uploads",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("settlement import")
        verbose_name_plural = _("settlement imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "sha256"],
                name="one_import_per_partner_file",
                violation_error_message=_("This file was already imported for this partner."),
            )
        ]

    def __str__(self):
        return f"{gettext('Settlement #%(number)s') % {'number': self.pk}} · {self.partner} · {self.file_name}"

    @property
    def is_confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED

    @property
    def matched_count(self) -> int:
        return self.summary.get("counts", {}).get(SettlementLine.Category.MATCHED, 0)


class SettlementLine(models.Model):
    """One line of the reconciliation report: a file row, or a booking the file does not mention."""

    class Category(models.TextChoices):
        MATCHED = "matched", _("Matched")
        AMOUNT_MISMATCH = "amount_mismatch", _("Amount mismatch")
        CURRENCY_MISMATCH = "currency_mismatch", _("Currency mismatch")
        UNKNOWN = "unknown", _("Paid but unknown to the portal")
        MISSING = "missing", _("Booked but missing from the file")
        DUPLICATE = "duplicate", _("Duplicate in the file")
        ALREADY_RECONCILED = "already_reconciled", _("Already reconciled")

    class Resolution(models.TextChoices):
        DISPUTED = "disputed", _("Disputed with the partner")
        EXPLAINED = "explained", _("Explained")

    settlement_import = models.ForeignKey(
        SettlementImport, verbose_name=_("settlement import"), on_delete=models.CASCADE, related_name="lines"
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    line_number = models.PositiveIntegerField(
        _("line number"),
        null=True,
        blank=True,
        help_text=_("Line in the file (the header is line 1); empty for missing bookings."),
    )
    partner_booking_id = models.CharField(_("partner booking id"), max_length=64, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True, help_text=_("Amount in the file")
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, help_text=_("Currency in the file"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_date_only = models.BooleanField(
        _("paid date only"),
        default=False,
        help_text=_("The file gave a date without a time: paid_at is that day's start, shown as the date."),
    )
    partner_status = models.CharField(
        _("partner status"), max_length=32, blank=True, help_text=_("Status column of the file, if any")
    )
    booking = models.ForeignKey(
        "bookings.Booking",
        verbose_name=_("booking"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="settlement_lines",
    )
    expected_amount = models.DecimalField(
        _("expected amount"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Amount on the portal booking"),
    )
    expected_currency = models.CharField(
        _("expected currency"), max_length=3, blank=True, help_text=_("Currency on the portal booking")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    resolution = models.CharField(
        _("resolution"),
        max_length=16,
        choices=Resolution.choices,
        blank=True,
        help_text=_("What finance decided about this line."),
    )
    resolution_note = models.CharField(
        _("resolution note"),
        max_length=1000,
        blank=True,
        help_text=_("Why: the partner's answer, a credit note, a bank reference."),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        ordering = ["settlement_import", "line_number", "id"]
        indexes = [models.Index(fields=["settlement_import", "category"], name="settlementline_category")]

    def __str__(self):
        where = (
            gettext("line %(number)s") % {"number": self.line_number} if self.line_number else gettext("not in file")
        )
        return f"{self.partner_booking_id or '—'} ({where}): {self.get_category_display()}"
