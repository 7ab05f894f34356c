"""The text of an SMS or a WhatsApp message, in the patient's language.

An SMS stays short (one line: who, what, when, the link); Arabic text is sent as UCS-2, where
one part holds 70 characters, so every word costs. WhatsApp has room: it carries the email's text.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bookings.models import Booking


def sms_text(booking: Booking, *, language: str, reminder: bool = False) -> str:
    with translation.override(language):
        values = {
            "clinic": settings.CLINIC_NAME,
            "reference": booking.reference,
            "when": _when(booking),
            "link": booking.handoff_url,
        }
        if reminder:
            return _("%(clinic)s reminder: appointment %(reference)s%(when)s. %(link)s") % values
        return _("%(clinic)s: booking %(reference)s%(when)s. Complete it: %(link)s") % values


def template_values(booking: Booking, *, language: str) -> tuple[str, ...]:
    """The body values of the WhatsApp template, in its order: clinic, reference, appointment, link."""
    with translation.override(language):
        return (settings.CLINIC_NAME, booking.reference, _when(booking).lstrip(", ") or "-", booking.handoff_url)


def whatsapp_text(booking: Booking, *, language: str, reminder: bool = False) -> str:
    with translation.override(language):
        context = {"booking": booking, "clinic": settings.CLINIC_NAME, "reminder": reminder}
        subject = " ".join(render_to_string("messaging/link_subject.txt", context).split())
        body = render_to_string("messaging/link_body.txt", context).strip()
    return f"*{subject}*\n\n{body}"


def _when(booking: Booking) -> str:
    if not booking.appointment_date:
        return ""
    day = date_format(booking.appointment_date, "SHORT_DATE_FORMAT")
    return f", {day} {booking.appointment_time}".rstrip()
