"""Reads for the pages that send a booking's link: which channels may be offered, what was sent."""

from bookings.models import Booking
from messaging.models import Message
from patients.models import Patient


def offered_channels(booking: Booking) -> list[str]:
    """The channels the booking's patient can be sent the link on: they agreed to messages and
    the booking holds the address that channel uses (an email, or a mobile for SMS and WhatsApp)."""
    patient = booking.patient
    if patient is None or not patient.consents_to_messages or not booking.handoff_url:
        return []
    address = {
        Patient.Channel.EMAIL: booking.email,
        Patient.Channel.SMS: booking.mobile,
        Patient.Channel.WHATSAPP: booking.mobile,
    }
    return [channel for channel in Patient.Channel.values if address[channel]]


def link_messages(booking: Booking):
    """The booking's link messages, newest first (reminders are not sent from these pages)."""
    return booking.messages.filter(template=Message.Template.LINK).select_related("requested_by")


def latest_message(booking: Booking) -> Message | None:
    """The newest message to the patient about the booking, whatever its template."""
    return booking.messages.order_by("-created_at", "-id").first()
