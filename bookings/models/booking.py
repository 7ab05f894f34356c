import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bookings.models.day_total import DAY_TOTAL_TRIGGERS
from bookings.states import BOOKED, EDITABLE, NEEDS_A_PERSON, Status
from config.stored_text import stored_text
from partners.models import Partner


class Booking(models.Model):
    """One booking (or Sandicare enrollment) from draft to reconciliation.

    ``status`` is assigned only by ``bookings.services.transitions``. For kids vaccination
    the patient is the child and the contact fields (mobile, email) are the guardian's.
    """

    Status = Status

    class Gender(models.TextChoices):
        MALE = "Male", _("Male")
        FEMALE = "Female", _("Female")

    reference = models.CharField(_("reference"), max_length=16, unique=True, null=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("partner"))
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.DRAFT, editable=False)
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)

    # Patient (the child for vaccination) and contact (the guardian for vaccination).
    patient_name = models.CharField(_("patient name"), max_length=150, blank=True)
    patient_dob = models.DateField(_("patient date of birth"), null=True, blank=True)
    patient_gender = models.CharField(_("patient gender"), max_length=8, choices=Gender.choices, blank=True)
    guardian_name = models.CharField(_("guardian name"), max_length=150, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True, help_text=_("E.164, e.g. +966501234567"))
    email = models.EmailField(_("email"), blank=True)
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
        verbose_name=_("patient record"),
        help_text=_("The directory entry the patient fields were filled from."),
    )
    patient_language = models.CharField(
        _("patient's language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the patient's slip and messages."),
    )

    # Selection: ids the partner needs and the names staff saw.
    speciality_id = models.CharField(_("speciality id"), max_length=64, blank=True)
    speciality_name = models.CharField(_("speciality"), max_length=150, blank=True)
    doctor_id = models.CharField(_("doctor id"), max_length=64, blank=True)
    doctor_name = models.CharField(_("doctor"), max_length=150, blank=True)
    service_ids = models.JSONField(_("service ids"), default=list, blank=True)
    service_names = models.JSONField(_("services"), default=list, blank=True)
    provider_id = models.CharField(_("provider id"), max_length=64, blank=True)
    provider_name = models.CharField(_("provider"), max_length=150, blank=True)
    slot_id = models.CharField(_("slot id"), max_length=64, blank=True)
    appointment_date = models.DateField(_("appointment date"), null=True, blank=True)
    appointment_time = models.CharField(
        _("appointment time"), max_length=5, blank=True, help_text=_("HH:MM, partner local time")
    )
    location = models.JSONField(_("location"), default=dict, blank=True, help_text=_("city, lat, lng, address"))
    program_id = models.CharField(_("program id"), max_length=32, blank=True)
    sandicare_service = models.CharField(_("Sandicare service"), max_length=32, blank=True)
    consultation_reason = models.TextField(_("consultation reason"), blank=True)

    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True, help_text=_("Price quoted by the partner")
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, help_text=_("ISO 4217, e.g. SAR"))
    # What staff were shown on Confirm, kept when the partner's booked amount replaces ``amount``.
    quoted_amount = models.DecimalField(
        _("amount quoted at confirm"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    quoted_currency = models.CharField(_("currency quoted at confirm"), max_length=3, blank=True)
    price_changed = models.GeneratedField(
        verbose_name=_("price changed"),
        expression=models.Case(
            models.When(
                models.Q(status__in=BOOKED, quoted_amount__isnull=False)
                & (~models.Q(amount=models.F("quoted_amount")) | ~models.Q(currency=models.F("quoted_currency"))),
                then=models.Value(True),
            ),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        help_text=_("The partner booked another amount than the one quoted at confirm: for finance to check."),
    )

    # What the partner answered.
    upstream_booking_id = models.CharField(_("partner booking id"), max_length=64, blank=True)
    payment_url = models.URLField(_("payment URL"), max_length=1000, blank=True)
    enrollment_url = models.URLField(_("enrollment URL"), max_length=1000, blank=True)
    upstream_response = models.JSONField(
        _("partner answer"), null=True, blank=True, help_text=_("The partner's raw answer to the create call.")
    )
    partner_message = models.TextField(
        _("partner message"), blank=True, help_text=_("The partner's last error message, for staff.")
    )
    submit_attempts = models.PositiveSmallIntegerField(_("send attempts"), default=0)

    pseudonymised_at = models.DateTimeField(
        _("pseudonymised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the patient's identifiers were removed (retention or the patient's request)."),
    )

    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="bookings_created",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    settlement_import = models.ForeignKey(
        "bookings.SettlementImport",
        verbose_name=_("settlement import"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reconciled_bookings",
        help_text=_("The settlement file that reconciled this booking."),
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at", "-id"]
        triggers = DAY_TOTAL_TRIGGERS
        permissions = [
            ("book_partner_service", _("Can book partner services")),
            ("export_bookings", _("Can export bookings")),
            ("reconcile_bookings", _("Can reconcile bookings")),
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
            # The dashboard's latest bookings to resume (drafts, sent back): the newest ten read in
            # order; without it, a sort of every such booking (954 ms at a million, `EXPLAIN ANALYZE`).
            models.Index(
                fields=["-status_changed_at", "-id"],
                condition=models.Q(status__in=EDITABLE),
                name="booking_to_resume",
            ),
        ]

    def __str__(self):
        return self.reference or gettext("Draft #%(number)s") % {"number": self.pk}

    def get_status_display(self) -> str:
        # Django's generated method hashes every lazy label of the choices on each call (eleven
        # translations looked up per row: 9 of the bookings list's ~120 ms, cProfile); the enum
        # looks up the one label it shows. An unknown value is shown as stored, as Django does.
        try:
            return str(Status(self.status).label)
        except ValueError:
            return self.status

    @property
    def sandicare_service_label(self) -> str:
        """The portal's label for Sandicare's service code (the code itself when unknown)."""
        from partners.adapters.sandicare import SERVICES

        return str(SERVICES.get(self.sandicare_service, self.sandicare_service))

    @property
    def partner_message_text(self) -> str:
        """The partner message in the reader's language when the portal wrote it (marked with
        ``gettext_noop`` where it is stored); a partner's own words come back as sent."""
        return stored_text(self.partner_message)

    @property
    def price_difference(self):
        """The partner's booked amount minus the quoted one, when both are in one currency."""
        if self.quoted_amount is None or self.amount is None or self.currency != self.quoted_currency:
            return None
        return self.amount - self.quoted_amount

    @property
    def handoff_url(self) -> str:
        """The link the patient needs: payment (Sanar) or enrollment (Sandicare)."""
        return self.payment_url or self.enrollment_url
