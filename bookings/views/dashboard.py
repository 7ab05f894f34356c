"""The home page (what staff start from) and the booking start page."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from access_records.models import AccessRecord
from access_records.services import record_access
from accounts import roles
from accounts.roles import has_role, role_required
from bookings import flows, selectors
from partners.models import Partner


def _flow_start_url(partner: Partner) -> str | None:
    flow = flows.flow_for(partner.code)
    try:
        return reverse(flow.start_url_name) if flow else None
    except NoReverseMatch:
        return None


def _new_booking_links() -> list[tuple[Partner, str | None]]:
    return [(partner, _flow_start_url(partner)) for partner in Partner.objects.filter(is_active=True)]


@role_required(*roles.ALL_ROLES)
def dashboard(request):
    """New booking per partner, drafts to resume, today's bookings, then what needs a person."""
    books = has_role(request.user, roles.OPERATIONS)
    now = timezone.localtime()
    start_of_today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    # These two lists name patients: one record for the page, counting the rows of both.
    named = {
        "to_resume": list(selectors.bookings_to_resume()) if books else [],
        "created_today": list(selectors.bookings_created_since(start_of_today)),
    }
    if shown := sum(len(rows) for rows in named.values()):
        record_access(request, AccessRecord.Kind.DASHBOARD, row_count=shown)
    return render(
        request,
        "bookings/dashboard.html",
        {
            "new_booking": _new_booking_links() if books else [],
            "today": now.date(),
            **named,
            "needing_a_person": selectors.bookings_needing_a_person(),
            "can_open_bookings": has_role(request.user, roles.OPERATIONS, roles.FINANCE),
            "can_resume": books,
        },
    )


@role_required(roles.OPERATIONS)
def start(request):
    return render(request, "bookings/start.html", {"flows": _new_booking_links()})
