"""Staff ask for a message: stored, and queued once its transaction commits; one per click."""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bookings.models import Booking
from messaging import channels, tasks
from messaging.models import Message


def message_request(*, booking_id: int, channel: str, actor, intent: uuid.UUID | None) -> Message:
    """Queue the booking's link to its patient on ``channel``. The same ``intent`` again
    (a double click, a reloaded POST) returns the message already asked for."""
    if intent is not None and (message := Message.objects.filter(intent=intent).first()):
        return message
    booking = Booking.objects.select_related("patient", "partner").get(pk=booking_id)
    recipient = channels.recipient(booking, channel)  # ValidationError when it cannot be sent
    if booking.patient is None or not booking.patient.consents_to_messages:
        raise ValidationError(_("The patient has not agreed to receive messages: record their consent first."))
    try:
        with transaction.atomic():
            message = Message.objects.create(
                booking=booking,
                channel=channel,
                recipient_masked=channels.masked(channel, recipient),
                language=booking.patient_language,
                requested_by=actor,
                **({"intent": intent} if intent else {}),
            )
            transaction.on_commit(lambda: tasks.send_message.delay(message.pk))
    except IntegrityError:
        return Message.objects.get(intent=intent)
    return message
