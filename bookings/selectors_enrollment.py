"""Reads for the Sandicare enrollment flow: past enrollments and same-day repeats."""

from django.db.models import Case, CharField, QuerySet, Value, When
from django.utils import timezone

from bookings.models import Booking
from bookings.states import NOT_ENROLLED, Status
from partners import credentials
from partners.adapters.sandicare import SERVICES
from partners.errors import NoActiveCredential
from partners.models import Partner


def enrollment_programs() -> list[str]:
    """The programIds of the active Sandicare credential; empty when there is none."""
    try:
        return credentials.active_credential(Partner.Code.SANDICARE).programs
    except NoActiveCredential:
        return []


def _with_service_name(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    return queryset.annotate(
        service_name=Case(
            *(When(sandicare_service=code, then=Value(str(name))) for code, name in SERVICES.items()),
            default="sandicare_service",
            output_field=CharField(),
        )
    )


def enrollment_history(*, email: str = "") -> QuerySet[Booking]:
    """Sandicare enrollments sent so far, newest first; only this patient's when ``email`` is given."""
    queryset = Booking.objects.filter(partner__code=Partner.Code.SANDICARE).exclude(status=Status.DRAFT)
    if email:
        queryset = queryset.filter(email__iexact=email)
    return _with_service_name(queryset.select_related("partner", "created_by").order_by("-created_at", "-id"))


def same_day_enrollments(booking: Booking) -> QuerySet[Booking]:
    """Other enrollments of this patient for this service sent today (portal time zone)."""
    start_of_day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return _with_service_name(
        Booking.objects.filter(
            partner_id=booking.partner_id,
            email__iexact=booking.email,
            sandicare_service=booking.sandicare_service,
            submitted_at__gte=start_of_day,
        )
        .exclude(pk=booking.pk)
        .exclude(status__in=NOT_ENROLLED)
        .select_related("created_by")
        .order_by("-submitted_at", "-id")
    )
