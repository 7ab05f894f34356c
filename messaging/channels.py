"""Where each channel sends: the address it uses, how it is masked, and the sending itself.

Email goes through Django's email backend (SMTP from the environment in production, a local
sink under ``make run``). SMS and WhatsApp are offered only once a provider backend is set up.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bookings.models import Booking
from messaging.email import link_email
from messaging.errors import SendFailed
from messaging.models import Message
from partners.redaction import mask_email, mask_mobile
from patients.models import Patient

AVAILABLE = (Patient.Channel.EMAIL,)


def recipient(booking: Booking, channel: str) -> str:
    if channel not in Patient.Channel.values:
        raise ValidationError(_("Choose email, SMS or WhatsApp."))
    if channel not in AVAILABLE:
        label = Patient.Channel(channel).label
        raise ValidationError(_("Sending by %(channel)s is not set up yet.") % {"channel": label})
    if not booking.email:
        raise ValidationError(_("The booking has no email address to send to."))
    if not booking.handoff_url:
        raise ValidationError(_("The booking has no link for the patient yet."))
    return booking.email


def masked(channel: str, address: str) -> str:
    return mask_email(address) if channel == Patient.Channel.EMAIL else mask_mobile(address)


def send(message: Message) -> str:
    """Send ``message``; its provider id (the Message-ID for email), or ``SendFailed``."""
    reminder = message.template == Message.Template.REMINDER
    email = link_email(message.booking, language=message.language, reminder=reminder)
    try:
        email.send()
    except (OSError, TimeoutError) as error:  # smtplib's errors are OSErrors
        raise SendFailed(type(error).__name__, retry=True) from error
    return email.extra_headers["Message-ID"]
