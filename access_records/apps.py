from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessRecordsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "access_records"
    verbose_name = _("Who saw what")
