"""SMS and WhatsApp through Unifonic (its HTTP calls: ``partners.providers.unifonic``)."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from messaging import texts
from messaging.backends.base import Delivery, MessageBackend
from messaging.errors import SendFailed
from partners.errors import PartnerError
from partners.providers import Receipt, unifonic


class _UnifonicBackend(MessageBackend):
    provider = unifonic.PROVIDER

    def _deliver(self, send, message, *, to: str, text: str, attempt: int, **extra) -> Delivery:
        booking = message.booking
        personal = [booking.patient_name, booking.guardian_name, booking.handoff_url]
        try:
            sent = send(to=to, text=text, reference=str(message.intent), attempt=attempt, personal=personal, **extra)
        except PartnerError as error:
            raise SendFailed(
                error.partner_message, retry=error.retry_safe, http_status=error.http_status, call=error.call
            ) from error
        return Delivery(provider_id=sent.provider_id, http_status=sent.call.http_status, call=sent.call)


class SmsBackend(_UnifonicBackend):
    def setup_error(self) -> str | None:
        return unifonic.sms_setup_error()

    def send(self, message, *, to: str, attempt: int) -> Delivery:
        text = texts.sms_text(message.booking, language=message.language, reminder=message.is_reminder)
        return self._deliver(unifonic.send_sms, message, to=to, text=text, attempt=attempt)

    def read_receipt(self, data: Mapping[str, Any]) -> Receipt | None:
        return unifonic.read_sms_receipt(data)


class WhatsAppBackend(_UnifonicBackend):
    def setup_error(self) -> str | None:
        return unifonic.whatsapp_setup_error()

    def send(self, message, *, to: str, attempt: int) -> Delivery:
        if name := settings.UNIFONIC_WHATSAPP_TEMPLATE:
            values = texts.template_values(message.booking, language=message.language)
            template = unifonic.Template(name=name, language=message.language, values=values)
            return self._deliver(
                unifonic.send_whatsapp, message, to=to, text=" ".join(values), attempt=attempt, template=template
            )
        text = texts.whatsapp_text(message.booking, language=message.language, reminder=message.is_reminder)
        return self._deliver(unifonic.send_whatsapp, message, to=to, text=text, attempt=attempt)

    def read_receipt(self, data: Mapping[str, Any]) -> Receipt | None:
        return unifonic.read_whatsapp_receipt(data)
