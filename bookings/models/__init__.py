from bookings.models.booking import Booking
from bookings.models.day_total import BookingDayTotal
from bookings.models.event import BookingEvent
from bookings.models.settlement import SettlementImport, SettlementLine

__all__ = ["Booking", "BookingDayTotal", "BookingEvent", "SettlementImport", "SettlementLine"]
