"""What staff do with a booking the portal stopped retrying: change it, or cancel it.

"Retry now" is the booking record's retry action (``detail.detail_retry``).
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access_records.models import AccessRecord
from access_records.services import record_access
from accounts import roles
from accounts.roles import role_required
from bookings import flows
from bookings.services import actions
from bookings.services.transitions import TransitionNotAllowed
from bookings.states import CANCELLABLE
from bookings.views.access import get_booking


def _refused(request, booking, what: str):
    messages.error(
        request,
        _("%(action)s is not possible: %(booking)s is %(status)s.")
        % {"action": what, "booking": booking, "status": booking.get_status_display().lower()},
    )
    return redirect("bookings:status", pk=booking.pk)


@require_POST
@role_required(roles.OPERATIONS)
def change_selection(request, pk):
    """Back to the flow step where another slot or provider is chosen, everything else kept."""
    booking = get_booking(pk)
    flow = flows.flow_for(booking)
    try:
        booking = actions.booking_reopen(booking_id=booking.pk, actor=request.user)
    except TransitionNotAllowed as error:
        return _refused(request, error.booking, _("Changing it"))
    step_url = flow.recovery_url(booking, "partner_failure") if flow else None
    return redirect(step_url) if step_url else redirect("bookings:status", pk=pk)


@require_http_methods(["GET", "POST"])
@role_required(roles.OPERATIONS)
def cancel(request, pk):
    """GET asks to confirm; POST cancels. Nothing is sent to the partner (it has no booking)."""
    booking = get_booking(pk)
    if booking.status not in CANCELLABLE:
        return _refused(request, booking, _("Cancelling"))
    if request.method == "GET":
        record_access(request, AccessRecord.Kind.CANCEL_CONFIRM, booking=booking)
        return render(request, "bookings/status/cancel.html", {"booking": booking})
    try:
        actions.booking_cancel(booking_id=booking.pk, actor=request.user)
    except TransitionNotAllowed as error:
        return _refused(request, error.booking, _("Cancelling"))
    messages.success(request, _("%(booking)s is cancelled.") % {"booking": booking})
    return redirect("bookings:status", pk=pk)
