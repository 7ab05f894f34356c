"""Where each channel sends: the address it uses, how it is masked, and the sending itself.

Email goes through Django's email backend (SMTP from the environment in production, a local
sink under ``make run``); SMS and WhatsApp through the backend their setting names
(``messaging.backends``), offered only once one is set up.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bookings.forms.contact import normalise_mobile
from bookings.models import Booking
from messaging.backends import backend_for
from messaging.backends.base import Delivery
from messaging.models import Message
from partners.redaction import mask_email, mask_mobile
from patients.models import Patient


def is_available(channel: str) -> bool:
    """A backend is set up for ``channel`` (its setting and keys)."""
    backend = backend_for(channel) if channel in Patient.Channel.values else None
    return backend is not None and backend.setup_error() is None


def recipient(booking: Booking, channel: str) -> str:
    """The address ``channel`` sends the booking's link to, or ValidationError saying why not."""
    to = address(booking, channel)
    if not booking.handoff_url:
        raise ValidationError(_("The booking has no link for the patient yet."))
    return to


def address(booking: Booking, channel: str) -> str:
    """The patient's address on ``channel`` (a mobile in E.164), or ValidationError saying why not."""
    if channel not in Patient.Channel.values:
        raise ValidationError(_("Choose email, SMS or WhatsApp."))
    if not is_available(channel):
        label = Patient.Channel(channel).label
        raise ValidationError(_("Sending by %(channel)s is not set up yet.") % {"channel": label})
    if channel == Patient.Channel.EMAIL:
        if not booking.email:
            raise ValidationError(_("The booking has no email address to send to."))
        return booking.email
    mobile = booking.mobile or (booking.patient.mobile if booking.patient else "")
    if not mobile:
        raise ValidationError(_("The booking has no mobile number to send to."))
    return normalise_mobile(mobile)


def masked(channel: str, address: str) -> str:
    return mask_email(address) if channel == Patient.Channel.EMAIL else mask_mobile(address)


def provider(channel: str) -> str:
    backend = backend_for(channel)
    return backend.provider if backend else ""


def send(message: Message, *, attempt: int) -> Delivery:
    """Send ``message`` to its booking's address on its channel: a ``Delivery``, or ``SendFailed``."""
    to = address(message.booking, message.channel)
    return backend_for(message.channel).send(message, to=to, attempt=attempt)
