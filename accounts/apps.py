from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and roles")

    def ready(self):
        from accounts import sessions  # noqa: F401  (connects the sign-in receiver)
