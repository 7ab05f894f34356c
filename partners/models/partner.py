from django.db import models


class Partner(models.Model):
    """A partner product the clinic books: one row per product, not per company."""

    class Code(models.TextChoices):
        SANAR_VIDEO = "sanar_video", "Sanar video consultation"
        SANAR_VACCINATION = "sanar_vaccination", "Sanar kids vaccination"
        SANDICARE = "sandicare", "Sandicare teleconsult enrollment"

    class Vendor(models.TextChoices):
        SANAR = "sanar", "Sanar"
        SANDICARE = "sandicare", "Sandicare"

    code = models.CharField(max_length=32, choices=Code.choices, unique=True)
    vendor = models.CharField(max_length=16, choices=Vendor.choices)
    name = models.CharField("display name", max_length=100)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_sanar(self) -> bool:
        return self.vendor == self.Vendor.SANAR
