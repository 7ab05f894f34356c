from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractRun(models.Model):
    """One contract check of a credential: the report as shown, and whether a flow would break."""

    credential = models.ForeignKey(
        "partners.Credential", verbose_name=_("credential"), on_delete=models.CASCADE, related_name="contract_runs"
    )
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True)
    breaking = models.BooleanField(_("breaks a flow"))
    report = models.JSONField(_("report"))

    class Meta:
        verbose_name = _("contract check")
        verbose_name_plural = _("contract checks")
        indexes = [models.Index(fields=["credential", "-checked_at"], name="contract_run_latest")]

    def __str__(self):
        return f"{self.credential} @ {self.checked_at:%Y-%m-%d %H:%M}"
