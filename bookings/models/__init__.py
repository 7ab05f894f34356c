from bookings.models.booking import Booking
from bookings.models.event import BookingEvent
from bookings.models.settlement import SettlementImport, SettlementLine

__all__ = ["Booking", "BookingEvent", "SettlementImport", "SettlementLine"]
