"""The link email: the booking summary in the patient's language, with an .ics invitation
when the appointment has a time."""

import datetime
from email.utils import make_msgid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils import translation
from icalendar import Calendar, Event

from bookings.models import Booking

APPOINTMENT_MINUTES = 30


def link_email(booking: Booking, *, language: str, reminder: bool = False) -> EmailMultiAlternatives:
    with translation.override(language):
        context = {"booking": booking, "clinic": settings.CLINIC_NAME, "reminder": reminder}
        subject = " ".join(render_to_string("messaging/link_subject.txt", context).split())
        body = render_to_string("messaging/link_body.txt", context)
    # Set here, not by the backend, so the id stored as the provider's is the one sent.
    headers = {"Message-ID": make_msgid(domain=DNS_NAME.get_fqdn())}
    email = EmailMultiAlternatives(subject=subject, body=body, to=[booking.email], headers=headers)
    if invitation := appointment_invitation(booking):
        email.attach("appointment.ics", invitation, "text/calendar; method=PUBLISH; charset=utf-8")
    return email


def appointment_start(booking: Booking) -> datetime.datetime | None:
    """When the appointment starts (partner local time, the portal's zone); None without a time."""
    if not (booking.appointment_date and booking.appointment_time):
        return None
    hour, minute = (int(part) for part in booking.appointment_time.split(":"))
    return datetime.datetime.combine(
        booking.appointment_date, datetime.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def appointment_invitation(booking: Booking) -> bytes | None:
    """An iCalendar event for a booking with a date and a time."""
    start = appointment_start(booking)
    if start is None:
        return None
    calendar = Calendar()
    calendar.add("prodid", "-//Partner booking portal//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.idempotency_key}@booking-portal")
    event.add("dtstamp", datetime.datetime.now(tz=datetime.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=APPOINTMENT_MINUTES))
    event.add("summary", f"{booking.partner} · {booking.reference}")
    if booking.handoff_url:
        event.add("url", booking.handoff_url)
        event.add("description", booking.handoff_url)
    calendar.add_component(event)
    return calendar.to_ical()
