from django.db import models
from django.utils.translation import gettext_lazy as _

from config.stored_text import stored_text


class Partner(models.Model):
    """A partner product the clinic books: one row per product, not per company."""

    class Code(models.TextChoices):
        SANAR_VIDEO = "sanar_video", _("Sanar video consultation")
        SANAR_VACCINATION = "sanar_vaccination", _("Sanar kids vaccination")
        SANDICARE = "sandicare", _("Sandicare teleconsult enrollment")

    class Vendor(models.TextChoices):
        SANAR = "sanar", _("Sanar")
        SANDICARE = "sandicare", _("Sandicare")

    code = models.CharField(_("code"), max_length=32, choices=Code.choices, unique=True)
    vendor = models.CharField(_("vendor"), max_length=16, choices=Vendor.choices)
    name = models.CharField(_("display name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self):
        # The name is the portal's label for the product: read in the reader's language unless
        # an admin renamed it (then it is not in the catalogues and shows as typed).
        return stored_text(self.name)

    @property
    def is_sanar(self) -> bool:
        return self.vendor == self.Vendor.SANAR
