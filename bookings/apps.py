from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _keep_day_totals_in_portal_time_zone(using, **kwargs):
    """After ``migrate``: a changed ``TIME_ZONE`` moves the day boundaries, so rebuild the day totals."""
    from bookings import day_totals  # imports the models: not before the apps are ready

    day_totals.installed_zone.cache_clear()
    installed = day_totals.installed_zone(using)
    if installed is not None and installed != settings.TIME_ZONE:
        day_totals.rebuild(using)


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")

    def ready(self):
        post_migrate.connect(_keep_day_totals_in_portal_time_zone, sender=self)
