import uuid

from django.conf import settings
from django.db import models

from bookings.models.day_total import DAY_TOTAL_TRIGGERS
from bookings.states import NEEDS_A_PERSON, Status
from partners.models import Partner


class Booking(models.Model):
    """One booking (or Sandicare enrollment) from draft to reconciliation.

    ``status`` is assigned only by ``bookings.services.transitions``. For kids vaccination
    the patient is the child and the contact fields (mobile, email) are the guardian's.
    """

    Status = Status

    class Gender(models.TextChoices):
        MALE = "Male", "Male"
        FEMALE = "Female", "Female"

    reference = models.CharField(max_length=16, unique=True, null=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT, editable=False)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    # Patient (the child for vaccination) and contact (the guardian for vaccination).
    patient_name = models.CharField(max_length=150, blank=True)
    patient_dob = models.DateField("patient date of birth", null=True, blank=True)
    patient_gender = models.CharField(max_length=8, choices=Gender.choices, blank=True)
    guardian_name = models.CharField(max_length=150, blank=True)
    mobile = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +966501234567")
    email = models.EmailField(blank=True)

    # Selection: ids the partner needs and the names staff saw.
    speciality_id = models.CharField(max_length=64, blank=True)
    speciality_name = models.CharField(max_length=150, blank=True)
    doctor_id = models.CharField(max_length=64, blank=True)
    doctor_name = models.CharField(max_length=150, blank=True)
    service_ids = models.JSONField(default=list, blank=True)
    service_names = models.JSONField(default=list, blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    provider_name = models.CharField(max_length=150, blank=True)
    slot_id = models.CharField(max_length=64, blank=True)
    appointment_date = models.DateField(null=True, blank=True)
    appointment_time = models.CharField(max_length=5, blank=True, help_text="HH:MM, partner local time")
    location = models.JSONField(default=dict, blank=True, help_text="city, lat, lng, address")
    program_id = models.CharField(max_length=32, blank=True)
    sandicare_service = models.CharField(max_length=32, blank=True)
    consultation_reason = models.TextField(blank=True)

    amount = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Price quoted by the partner"
    )
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217, e.g. SAR")

    # What the partner answered.
    upstream_booking_id = models.CharField("partner booking id", max_length=64, blank=True)
    payment_url = models.URLField(max_length=1000, blank=True)
    enrollment_url = models.URLField(max_length=1000, blank=True)
    upstream_response = models.JSONField(
        null=True, blank=True, help_text="The partner's raw answer to the create call."
    )
    partner_message = models.TextField(blank=True, help_text="The partner's last error message, for staff.")
    submit_attempts = models.PositiveSmallIntegerField(default=0)

    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="bookings_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    settlement_import = models.ForeignKey(
        "bookings.SettlementImport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reconciled_bookings",
        help_text="The settlement file that reconciled this booking.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        triggers = DAY_TOTAL_TRIGGERS
        permissions = [
            ("book_partner_service", "Can book partner services"),
            ("export_bookings", "Can export bookings"),
            ("reconcile_bookings", "Can reconcile bookings"),
        ]
        indexes = [
            # Covers the bookings list's count and totals: an index-only scan, not one heap read per row.
            models.Index(
                fields=["partner", "status", "created_at"],
                include=["amount", "currency"],
                name="booking_finance_list",
            ),
            models.Index(fields=["-created_at", "-id"], name="booking_recent"),
            models.Index(fields=["status", "status_changed_at"], name="booking_status_age"),
            # The dashboard's oldest bookings needing a person: read in order, not all of them sorted.
            models.Index(
                fields=["status_changed_at"],
                condition=models.Q(status__in=NEEDS_A_PERSON),
                name="booking_needs_a_person",
            ),
            models.Index(fields=["upstream_booking_id"], name="booking_upstream_id"),
        ]

    def __str__(self):
        return self.reference or f"Draft #{self.pk}"

    @property
    def handoff_url(self) -> str:
        """The link the patient needs: payment (Sanar) or enrollment (Sandicare)."""
        return self.payment_url or self.enrollment_url
