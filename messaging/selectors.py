"""Reads for the pages that send a booking's link: which channels may be offered, what was sent."""

from django.db.models import QuerySet

from bookings.models import Booking
from messaging import channels
from messaging.models import Message
from patients.models import Patient


def offered_channels(booking: Booking) -> list[str]:
    """The channels the booking's patient can be sent the link on: they agreed to messages, the
    channel is set up, and there is the address it uses (an email, or a mobile for SMS and
    WhatsApp: the booking's, else the patient's, as ``channels.address`` reads them)."""
    patient = booking.patient
    if patient is None or not patient.consents_to_messages or not booking.handoff_url:
        return []
    mobile = booking.mobile or patient.mobile
    address = {
        Patient.Channel.EMAIL: booking.email,
        Patient.Channel.SMS: mobile,
        Patient.Channel.WHATSAPP: mobile,
    }
    return [channel for channel in Patient.Channel.values if address[channel] and channels.is_available(channel)]


def with_attempts(messages: QuerySet[Message]) -> QuerySet[Message]:
    """Messages with their attempt rows, which their attempts count and error are read from."""
    return messages.select_related("requested_by").prefetch_related("attempt_log")


def link_messages(booking: Booking) -> QuerySet[Message]:
    """The booking's link messages, newest first (reminders are not sent from these pages)."""
    return booking.messages.filter(template=Message.Template.LINK)


def latest_message(booking: Booking) -> Message | None:
    """The newest message to the patient about the booking, whatever its template."""
    return with_attempts(booking.messages.order_by("-created_at", "-id")).first()
