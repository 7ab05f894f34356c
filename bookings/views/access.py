"""How a view gets the booking it works on: 404 when it does not exist or is another product's."""

from django.shortcuts import get_object_or_404

from bookings.models import Booking


def get_booking(pk: int, *, partner_code: str | None = None) -> Booking:
    queryset = Booking.objects.select_related("partner", "created_by")
    if partner_code:
        queryset = queryset.filter(partner__code=partner_code)
    return get_object_or_404(queryset, pk=pk)
