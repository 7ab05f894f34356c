"""Everything held about one patient, as the request pages and exports show it."""

from dataclasses import dataclass

from django.db.models import Prefetch

from bookings.models import Booking, BookingEvent
from messaging.models import Message
from partners.models import UpstreamCall
from patients.models import Patient
from privacy.erasure import Selection, request_selection


@dataclass
class PatientData:
    patients: list[Patient]
    bookings: list[Booking]

    @property
    def messages(self) -> int:
        return sum(len(booking.messages.all()) for booking in self.bookings)

    @property
    def partner_calls(self) -> int:
        return sum(len(booking.upstream_calls.all()) for booking in self.bookings)

    @property
    def is_empty(self) -> bool:
        return not (self.patients or self.bookings)


def patient_data(selection: Selection) -> PatientData:
    bookings = (
        selection.bookings.select_related("partner")
        .prefetch_related(
            Prefetch("messages", queryset=Message.objects.order_by("created_at", "id")),
            Prefetch("upstream_calls", queryset=UpstreamCall.objects.order_by("created_at", "id")),
            Prefetch("events", queryset=BookingEvent.objects.order_by("created_at", "id")),
        )
        .order_by("-created_at", "-id")
    )
    return PatientData(patients=list(selection.patients.order_by("pk")), bookings=list(bookings))


def find(query: dict[str, str]) -> PatientData:
    return patient_data(request_selection(**query))
