from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from accounts import roles
from accounts.roles import role_required
from bookings import flows, selectors
from partners.models import Partner


@role_required(*roles.ALL_ROLES)
def dashboard(request):
    health = selectors.partner_health()
    return render(
        request,
        "bookings/dashboard.html",
        {
            "partner_health": health,
            "today_total": sum(row.today_total for row in health),
            "needing_a_person": selectors.bookings_needing_a_person(),
            "can_open_bookings": roles.has_role(request.user, roles.OPERATIONS, roles.FINANCE),
        },
    )


def _flow_start_url(partner: Partner) -> str | None:
    flow = flows.flow_for(partner.code)
    try:
        return reverse(flow.start_url_name) if flow else None
    except NoReverseMatch:
        return None


@role_required(roles.OPERATIONS)
def start(request):
    flows = [(partner, _flow_start_url(partner)) for partner in Partner.objects.filter(is_active=True)]
    return render(request, "bookings/start.html", {"flows": flows})
