from django.apps import AppConfig


class PartnerSimulatorConfig(AppConfig):
    name = "partner_simulator"
    verbose_name = "Partner simulator"
