"""Sanar video consultation catalogue mirrored in the database.

Specialities and doctors change rarely, so a beat task (and staff, on demand) copy them
from Sanar; browsing keeps working while Sanar is down. Staff sort and filter on the
promoted columns; the partner's raw JSON is kept beside them. Rows Sanar stops listing
are kept, marked inactive, so old bookings still name them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Speciality(models.Model):
    speciality_id = models.CharField(_("Sanar speciality id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("is active"), default=True, help_text=_("False once Sanar stopped listing it."))
    raw = models.JSONField(
        _("partner JSON"), default=dict, blank=True, help_text=_("The partner's raw JSON for this speciality.")
    )
    synced_at = models.DateTimeField(_("synced at"), help_text=_("When this row last came from Sanar."))
    first_seen_at = models.DateTimeField(_("first seen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("speciality")
        verbose_name_plural = _("specialities")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.speciality_id})"


class Doctor(models.Model):
    doctor_id = models.CharField(_("Sanar doctor id"), max_length=64, unique=True)
    speciality = models.ForeignKey(
        Speciality, verbose_name=_("speciality"), on_delete=models.PROTECT, related_name="doctors"
    )
    name = models.CharField(_("name"), max_length=150, help_text=_('As Sanar prints it, e.g. "Dr. Prince George".'))
    title = models.CharField(_("title"), max_length=32, blank=True)
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    img = models.URLField(
        _("photo"), max_length=500, blank=True, help_text=_("Photo URL (https only); empty when Sanar has none.")
    )
    gender = models.CharField(_("gender"), max_length=16, blank=True)
    rating = models.DecimalField(_("rating"), max_digits=4, decimal_places=2, null=True, blank=True)
    classification = models.CharField(_("classification"), max_length=64, blank=True)
    sub_speciality = models.CharField(_("sub speciality"), max_length=150, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    experience = models.CharField(_("experience"), max_length=100, blank=True)
    available_slot = models.CharField(_("next available slot"), max_length=16, blank=True)
    price_amount = models.DecimalField(
        _("price amount"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Parsed from Sanar's pay_amount."),
    )
    price_currency = models.CharField(
        _("price currency"), max_length=3, blank=True, help_text=_("ISO 4217, parsed from pay_amount.")
    )
    license_number = models.CharField(_("license number"), max_length=64, blank=True)
    qualifications = models.JSONField(_("qualifications"), default=list, blank=True)
    is_active = models.BooleanField(
        _("is active"), default=True, help_text=_("False once Sanar stopped listing the doctor.")
    )
    raw = models.JSONField(
        _("partner JSON"), default=dict, blank=True, help_text=_("The partner's raw JSON for this doctor.")
    )
    synced_at = models.DateTimeField(_("synced at"), help_text=_("When this row last came from Sanar."))
    first_seen_at = models.DateTimeField(_("first seen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")
        ordering = ["name"]
        indexes = [models.Index(fields=["speciality", "is_active"], name="doctor_speciality_active")]

    def __str__(self):
        return f"{self.name} ({self.doctor_id})"

    @property
    def initials(self) -> str:
        parts = [self.first_name, self.last_name] if self.first_name or self.last_name else self.name.split()[-2:]
        return "".join(part[0] for part in parts if part).upper()[:2]


class VaccinationService(models.Model):
    """A Sanar kids vaccination service of one product (``prd_id``), with its details.

    The services list and each service's details are two partner calls; ``synced_at`` and
    ``details_synced_at`` say when each last came from Sanar.
    """

    product_code = models.CharField(_("Sanar product code (prd_id)"), max_length=64)
    service_id = models.CharField(_("Sanar service id"), max_length=64)
    name = models.CharField(_("name"), max_length=150)
    price_amount = models.DecimalField(
        _("price amount"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Price of this service alone."),
    )
    price_currency = models.CharField(_("price currency"), max_length=3, blank=True, help_text=_("ISO 4217, e.g. SAR."))
    age_group = models.CharField(
        _("age group"), max_length=64, blank=True, help_text=_('As Sanar gives it, e.g. "0-2 years"; empty: any age.')
    )
    description = models.TextField(_("description"), blank=True)
    inclusions = models.JSONField(_("inclusions"), default=list, blank=True, help_text=_("What the visit includes."))
    instructions = models.JSONField(
        _("instructions"), default=list, blank=True, help_text=_("What to bring, how to prepare.")
    )
    is_active = models.BooleanField(_("is active"), default=True, help_text=_("False once Sanar stopped listing it."))
    raw = models.JSONField(
        _("partner JSON"), default=dict, blank=True, help_text=_("The partner's raw JSON of the services list.")
    )
    details_raw = models.JSONField(
        _("partner JSON of the details"), default=dict, blank=True, help_text=_("The partner's raw JSON of /details.")
    )
    synced_at = models.DateTimeField(_("synced at"), help_text=_("When this row last came from Sanar's services list."))
    details_synced_at = models.DateTimeField(
        _("details synced at"),
        null=True,
        blank=True,
        help_text=_("When the details last came from Sanar; empty: not fetched yet."),
    )
    first_seen_at = models.DateTimeField(_("first seen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vaccination service")
        verbose_name_plural = _("vaccination services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["product_code", "service_id"], name="vaccination_service_per_product")
        ]

    def __str__(self):
        return f"{self.name} ({self.service_id})"
