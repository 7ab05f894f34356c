"""One backend per channel, chosen by a setting: email always (Django's ``EMAIL_BACKEND``),
SMS by ``SMS_BACKEND`` and WhatsApp by ``WHATSAPP_BACKEND`` (dotted paths; empty: not set up)."""

from django.conf import settings
from django.utils.module_loading import import_string

from messaging.backends.base import MessageBackend
from patients.models import Patient

SETTING_OF_CHANNEL = {Patient.Channel.SMS: "SMS_BACKEND", Patient.Channel.WHATSAPP: "WHATSAPP_BACKEND"}


def backend_for(channel: str) -> MessageBackend | None:
    """The channel's backend, or None when no backend is set for it."""
    if channel == Patient.Channel.EMAIL:
        from messaging.backends.email import EmailBackend

        return EmailBackend()
    path = getattr(settings, SETTING_OF_CHANNEL[channel], "") if channel in SETTING_OF_CHANNEL else ""
    return import_string(path)() if path else None
