from django.apps import AppConfig
from django.conf import settings
from django.db import connections
from django.db.models.signals import post_migrate

from bookings import day_totals


def _keep_day_totals_in_portal_time_zone(using, **kwargs):
    """After ``migrate``: a changed ``TIME_ZONE`` moves the day boundaries, so rebuild the day totals."""
    day_totals.installed_zone.cache_clear()
    installed = day_totals.installed_zone(using)
    if installed is not None and installed != settings.TIME_ZONE:
        day_totals.install(connections[using])


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Bookings"

    def ready(self):
        post_migrate.connect(_keep_day_totals_in_portal_time_zone, sender=self)
