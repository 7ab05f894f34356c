"""Appointment reminders: found by beat, each one stored once per booking and lead time, on the
patient's preferred channel when it can carry it (set up, and an address for it), else by email.

The unique (booking, lead) row is the guard: two beat processes, or one restarted, that find
the same reminder due insert it once; the loser's insert fails and it moves on.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from bookings.models import Booking
from bookings.states import BOOKED
from messaging import channels
from messaging.email import appointment_start
from messaging.models import Message
from patients.models import Patient


def reminders_queue(*, enqueue, now: datetime.datetime | None = None) -> int:
    """Store every reminder now due and hand each new one to ``enqueue`` once stored; how many
    were new."""
    now = now or timezone.now()
    leads = sorted(settings.MESSAGE_REMINDER_LEAD_MINUTES)
    horizon = (now + datetime.timedelta(minutes=max(leads, default=0))).date() + datetime.timedelta(days=1)
    candidates = (
        Booking.objects.filter(
            status__in=BOOKED,  # none for cancelled or failed bookings
            appointment_date__range=(now.date() - datetime.timedelta(days=1), horizon),
            patient__consents_to_messages=True,
        )
        .exclude(appointment_time="")
        .exclude(Q(email="") & Q(mobile="") & Q(patient__mobile=""))
        .select_related("patient")
    )
    queued = 0
    for booking in candidates:
        start = appointment_start(booking)
        due = [lead for lead in leads if start - datetime.timedelta(minutes=lead) <= now < start]
        if not due or (route := reminder_route(booking)) is None:
            continue
        for lead in due:
            if message := _store(booking, lead, *route):
                enqueue(message.pk)
                queued += 1
    return queued


def reminder_route(booking: Booking) -> tuple[str, str] | None:
    """(channel, address) of a booking's reminders: the preferred channel, else email; None if neither."""
    for channel in dict.fromkeys([booking.patient.preferred_channel, Patient.Channel.EMAIL]):
        try:
            return channel, channels.address(booking, channel)
        except ValidationError:
            continue
    return None


def _store(booking: Booking, lead: int, channel: str, address: str) -> Message | None:
    try:
        with transaction.atomic():
            message = Message.objects.create(
                booking=booking,
                channel=channel,
                recipient_masked=channels.masked(channel, address),
                template=Message.Template.REMINDER,
                language=booking.patient_language,
                reminder_lead_minutes=lead,
            )
    except IntegrityError:
        return None  # stored already (another beat, or before a restart)
    return message
