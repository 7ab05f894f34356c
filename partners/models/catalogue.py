"""Sanar video consultation catalogue mirrored in the database.

Specialities and doctors change rarely, so a beat task (and staff, on demand) copy them
from Sanar; browsing keeps working while Sanar is down. Staff sort and filter on the
promoted columns; the partner's raw JSON is kept beside them. Rows Sanar stops listing
are kept, marked inactive, so old bookings still name them.
"""

from django.db import models


class Speciality(models.Model):
    speciality_id = models.CharField("Sanar speciality id", max_length=64, unique=True)
    name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True, help_text="False once Sanar stopped listing it.")
    raw = models.JSONField(default=dict, blank=True, help_text="The partner's raw JSON for this speciality.")
    synced_at = models.DateTimeField(help_text="When this row last came from Sanar.")
    first_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialities"

    def __str__(self):
        return f"{self.name} ({self.speciality_id})"


class Doctor(models.Model):
    doctor_id = models.CharField("Sanar doctor id", max_length=64, unique=True)
    speciality = models.ForeignKey(Speciality, on_delete=models.PROTECT, related_name="doctors")
    name = models.CharField(max_length=150, help_text='As Sanar prints it, e.g. "Dr. Prince George".')
    title = models.CharField(max_length=32, blank=True)
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    img = models.URLField(max_length=500, blank=True, help_text="Photo URL (https only); empty when Sanar has none.")
    gender = models.CharField(max_length=16, blank=True)
    rating = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    classification = models.CharField(max_length=64, blank=True)
    sub_speciality = models.CharField(max_length=150, blank=True)
    languages = models.JSONField(default=list, blank=True)
    experience = models.CharField(max_length=100, blank=True)
    available_slot = models.CharField("next available slot", max_length=16, blank=True)
    price_amount = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Parsed from Sanar's pay_amount."
    )
    price_currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217, parsed from pay_amount.")
    license_number = models.CharField(max_length=64, blank=True)
    qualifications = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True, help_text="False once Sanar stopped listing the doctor.")
    raw = models.JSONField(default=dict, blank=True, help_text="The partner's raw JSON for this doctor.")
    synced_at = models.DateTimeField(help_text="When this row last came from Sanar.")
    first_seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["speciality", "is_active"], name="doctor_speciality_active")]

    def __str__(self):
        return f"{self.name} ({self.doctor_id})"

    @property
    def initials(self) -> str:
        parts = [self.first_name, self.last_name] if self.first_name or self.last_name else self.name.split()[-2:]
        return "".join(part[0] for part in parts if part).upper()[:2]
