"""Reads of bookings: querysets for pages, API and exports."""

from django.db.models import Count, QuerySet
from django.utils import timezone

from bookings.models import Booking
from bookings.states import NEEDS_A_PERSON


def today_counts_by_partner_and_status() -> list[dict]:
    """[{partner__name, status, count}] for bookings created today (portal time zone)."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return list(
        Booking.objects.filter(created_at__gte=start)
        .values("partner__name", "status")
        .annotate(count=Count("id"))
        .order_by("partner__name", "status")
    )


def bookings_needing_a_person(limit: int = 20) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(status__in=NEEDS_A_PERSON)
        .select_related("partner", "created_by")
        .order_by("status_changed_at")[:limit]
    )


def recent_bookings(limit: int = 50) -> QuerySet[Booking]:
    return Booking.objects.select_related("partner", "created_by").order_by("-created_at", "-id")[:limit]
