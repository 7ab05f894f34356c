from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking
from messaging.selectors import offered_channels
from patients.models import Patient


class SendLinkForm(forms.Form):
    """The channel to send the booking's link on: only those the patient can be reached on."""

    channel = forms.ChoiceField(
        label=_("Send by"),
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("This channel is not set up or the patient cannot be reached on it: choose another."),
        },
    )

    def __init__(self, *args, booking: Booking, **kwargs):
        super().__init__(*args, **kwargs)
        offered = offered_channels(booking)
        self.fields["channel"].choices = [(channel, Patient.Channel(channel).label) for channel in offered]
        preferred = booking.patient.preferred_channel if booking.patient else None
        if offered:
            self.fields["channel"].initial = preferred if preferred in offered else offered[0]
        self.offered = offered
