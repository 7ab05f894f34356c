"""What the hand-off page and the booking record show to send the link to the patient: the
send form, the latest message, and for a patient typed by hand, saving them to the directory."""

from bookings.models import Booking
from messaging import selectors as message_selectors
from messaging.forms import SendLinkForm
from patients import selectors as patient_selectors
from patients.forms import SaveTypedPatientForm

BACK_TO = ("status", "detail")


def handoff_panel(booking: Booking, *, send_form=None, patient_form=None) -> dict:
    context = {
        "latest_message": message_selectors.latest_message(booking),
        "link_sent_before": message_selectors.link_messages(booking).exists(),
        "send_form": send_form or SendLinkForm(booking=booking),
    }
    if booking.patient_id is None:
        context["patient_form"] = patient_form or SaveTypedPatientForm(booking=booking)
        context["patient_matches"] = patient_selectors.directory_matches(mobile=booking.mobile, email=booking.email)
    return context
