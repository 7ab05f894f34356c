"""The status page every flow ends on: live progress, then the link hand-off."""

import io

import segno
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts import roles
from accounts.roles import role_required
from bookings import flows, selectors
from bookings.states import EDITABLE, IN_FLIGHT
from bookings.templatetags.links import is_https_url
from bookings.views.access import get_booking


def _status_context(booking):
    flow = flows.flow_for(booking)
    outcome = selectors.last_failure_outcome(booking)
    return {
        "booking": booking,
        "polling": booking.status in IN_FLIGHT,
        "max_attempts": settings.PARTNER_MAX_RETRIES + 1,
        "recovery_url": flow.recovery_url(booking, outcome) if flow and outcome else None,
        "resume_url": flow.next_step_url(booking) if flow else None,
        "failure_outcome": outcome,
    }


@role_required(roles.OPERATIONS)
def status_page(request, pk):
    booking = get_booking(pk)
    return render(request, "bookings/status/page.html", _status_context(booking))


@role_required(roles.OPERATIONS)
def status_panel(request, pk):
    booking = get_booking(pk)
    return render(request, "bookings/status/panel.html", _status_context(booking))


@role_required(roles.OPERATIONS)
def handoff_qr(request, pk):
    booking = get_booking(pk)
    if not booking.handoff_url:
        raise Http404("No link yet.")
    if not is_https_url(booking.handoff_url):
        raise Http404("The stored link is not an https:// link.")
    buffer = io.BytesIO()
    segno.make(booking.handoff_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@role_required(roles.OPERATIONS)
def handoff_slip(request, pk):
    booking = get_booking(pk)
    if not booking.handoff_url:
        return redirect("bookings:status", pk=pk)
    return render(request, "bookings/status/slip.html", {"booking": booking})


@role_required(roles.OPERATIONS)
def resume(request, pk):
    """Continue a draft (or a booking sent back for changes) at its first unfinished step."""
    booking = get_booking(pk)
    flow = flows.flow_for(booking)
    if booking.status in EDITABLE and flow:
        return redirect(flow.next_step_url(booking))
    return redirect("bookings:status", pk=pk)
