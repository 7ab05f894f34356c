from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Partner


class SettlementImport(models.Model):
    """One settlement file a partner sent, as uploaded by finance, and what it matched.

    The file's bytes are kept with the row (written in the same transaction as its lines).
    ``sha256`` is unique per partner: uploading the same file again returns this import.
    """

    class State(models.TextChoices):
        VALIDATED = "validated", "Validated, waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="settlement_imports")
    state = models.CharField(max_length=16, choices=State.choices, default=State.VALIDATED)
    file_name = models.CharField(max_length=255, help_text="The name of the file as uploaded.")
    content = models.BinaryField(help_text="The uploaded file, byte for byte.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the file content.")
    row_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(
        default=dict, blank=True, help_text="Counts per category, totals per currency, the period the file covers."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="settlement_uploads"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "sha256"],
                name="one_import_per_partner_file",
                violation_error_message="This file was already imported for this partner.",
            )
        ]

    def __str__(self):
        return f"Settlement #{self.pk} · {self.partner} · {self.file_name}"

    @property
    def is_confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED

    @property
    def matched_count(self) -> int:
        return self.summary.get("counts", {}).get(SettlementLine.Category.MATCHED, 0)


class SettlementLine(models.Model):
    """One line of the reconciliation report: a file row, or a booking the file does not mention."""

    class Category(models.TextChoices):
        MATCHED = "matched", "Matched"
        AMOUNT_MISMATCH = "amount_mismatch", "Amount mismatch"
        CURRENCY_MISMATCH = "currency_mismatch", "Currency mismatch"
        UNKNOWN = "unknown", "Paid but unknown to the portal"
        MISSING = "missing", "Booked but missing from the file"
        DUPLICATE = "duplicate", "Duplicate in the file"
        ALREADY_RECONCILED = "already_reconciled", "Already reconciled"

    class Resolution(models.TextChoices):
        DISPUTED = "disputed", _("Disputed with the partner")
        EXPLAINED = "explained", _("Explained")

    settlement_import = models.ForeignKey(SettlementImport, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(max_length=24, choices=Category.choices)
    line_number = models.PositiveIntegerField(
        null=True, blank=True, help_text="Line in the file (the header is line 1); empty for missing bookings."
    )
    partner_booking_id = models.CharField(max_length=64, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, help_text="Amount in the file")
    currency = models.CharField(max_length=3, blank=True, help_text="Currency in the file")
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_date_only = models.BooleanField(
        default=False, help_text="The file gave a date without a time: paid_at is that day's start, shown as the date."
    )
    partner_status = models.CharField(max_length=32, blank=True, help_text="Status column of the file, if any")
    booking = models.ForeignKey(
        "bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="settlement_lines"
    )
    expected_amount = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Amount on the portal booking"
    )
    expected_currency = models.CharField(max_length=3, blank=True, help_text="Currency on the portal booking")
    note = models.CharField(max_length=200, blank=True)
    resolution = models.CharField(
        max_length=16, choices=Resolution.choices, blank=True, help_text="What finance decided about this line."
    )
    resolution_note = models.CharField(
        max_length=1000, blank=True, help_text="Why: the partner's answer, a credit note, a bank reference."
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["settlement_import", "line_number", "id"]
        indexes = [models.Index(fields=["settlement_import", "category"], name="settlementline_category")]

    def __str__(self):
        where = f"line {self.line_number}" if self.line_number else "not in file"
        return f"{self.partner_booking_id or '—'} ({where}): {self.get_category_display()}"
