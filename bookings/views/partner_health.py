"""Partner health: each partner's calls over the last 24 h, its last failure and its credential."""

from django.shortcuts import render

from accounts import roles
from accounts.roles import role_required
from bookings.selectors_health import WINDOW, partner_health


@role_required(*roles.ALL_ROLES)
def partner_health_page(request):
    health = partner_health()
    return render(
        request,
        "bookings/partner_health.html",
        {
            "partner_health": health,
            "today_total": sum(row.today_total for row in health),
            "window_hours": int(WINDOW.total_seconds() // 3600),
        },
    )
