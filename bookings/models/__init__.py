from bookings.models.booking import Booking
from bookings.models.event import BookingEvent

__all__ = ["Booking", "BookingEvent"]
