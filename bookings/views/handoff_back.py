"""The page a hand-off form was posted from (the status page or the booking record), shown
again with the form's errors next to its fields."""

from bookings.views.detail import render_detail
from bookings.views.handoff_panel import BACK_TO
from bookings.views.status import render_status


def back_to(request) -> str:
    return request.POST.get("next") if request.POST.get("next") in BACK_TO else "status"


def render_back(request, booking, **panel_forms):
    if back_to(request) == "detail":
        return render_detail(request, booking, status=400, **panel_forms)
    return render_status(request, booking, status=400, **panel_forms)
