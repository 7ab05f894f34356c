"""The status page every flow ends on: live progress, then the link hand-off."""

import io
import math
from datetime import timedelta

import segno
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _

from access_records.models import AccessRecord
from access_records.services import record_access
from accounts import roles
from accounts.roles import role_required
from bookings import flows, selectors
from bookings.selectors_handoff import booking_handoff
from bookings.states import EDITABLE, IN_FLIGHT, Status
from bookings.templatetags.links import is_https_url
from bookings.views.access import get_booking
from bookings.views.handoff_panel import handoff_panel
from partners import outages
from partners.models.upstream_call import PARTNER_FAILURES

PAPER_SIZES = ("a4", "a5")
# How often the status panel asks while a booking is in flight: a first send takes about the
# partner's answer time, so staff see the link within half a second of it; a retry waits
# seconds to minutes (the backoff), and asking that often would only cost requests.
POLL_SENDING, POLL_RETRYING = "500ms", "2s"


def longest_wait_minutes() -> int:
    """How long a booking can stay in flight before it settles: every attempt timing out, with the
    retries' back-off between them (Celery doubles it from the base up to the maximum)."""
    retries = settings.PARTNER_MAX_RETRIES
    attempt = settings.PARTNER_CONNECT_TIMEOUT + settings.PARTNER_READ_TIMEOUT
    backoff = sum(
        min(settings.PARTNER_RETRY_BACKOFF_SECONDS * 2**n, settings.PARTNER_RETRY_BACKOFF_MAX_SECONDS)
        for n in range(retries)
    )
    return max(1, math.ceil(((retries + 1) * attempt + backoff) / 60))


def next_attempt_by(booking):
    """When the next send attempt of a booking waiting to retry starts at the latest: Celery
    waits a random part (jitter) of the doubled backoff, capped (bookings.tasks)."""
    if booking.status != Status.QUEUED or not booking.submit_attempts:
        return None
    backoff = settings.PARTNER_RETRY_BACKOFF_SECONDS * 2 ** (booking.submit_attempts - 1)
    return booking.status_changed_at + timedelta(seconds=min(backoff, settings.PARTNER_RETRY_BACKOFF_MAX_SECONDS))


def panel_state(booking) -> str:
    """What the panel shows depends on: a poll that saw this state gets "no change" (204)."""
    changed = booking.status_changed_at.timestamp() if booking.status_changed_at else 0
    return f"{booking.status}.{booking.submit_attempts}.{changed:.6f}"


def _gave_up_context(booking, outcome: str | None) -> dict:
    """A booking waiting for staff after the partner failed: since when the partner fails
    (None once it answered again) and whom to call there."""
    if booking.status != Status.NEEDS_ATTENTION or outcome not in PARTNER_FAILURES:
        return {"gave_up": False}
    return {
        "gave_up": True,
        "failing_since": outages.failing_since(booking.partner),
        "support_contact": settings.PARTNER_SUPPORT_CONTACTS.get(booking.partner.code, "").strip(),
    }


def _status_context(booking, **panel_forms):
    flow = flows.flow_for(booking)
    retrying = booking.status == Status.QUEUED and booking.submit_attempts
    outcome = selectors.last_failure_outcome(booking)
    return {
        **(handoff_panel(booking, **panel_forms) if booking.handoff_url else {}),
        **_gave_up_context(booking, outcome),
        "can_change": bool(flow and flow.recovery_steps.get("partner_failure")),
        "booking": booking,
        "handoff": booking_handoff(booking),
        "longest_wait_minutes": longest_wait_minutes(),
        "polling": booking.status in IN_FLIGHT,
        "poll_every": POLL_RETRYING if retrying else POLL_SENDING,
        "panel_state": panel_state(booking),
        "max_attempts": settings.PARTNER_MAX_RETRIES + 1,
        "recovery_url": flow.recovery_url(booking, outcome) if flow and outcome else None,
        "resume_url": flow.next_step_url(booking) if flow else None,
        "failure_outcome": outcome,
        "next_attempt_by": next_attempt_by(booking),
    }


@role_required(roles.OPERATIONS)
def status_page(request, pk):
    return render_status(request, get_booking(pk))


def render_status(request, booking, *, status=200, **panel_forms):
    """The hand-off page; ``panel_forms`` (send_form, patient_form) when one comes back with errors."""
    record_access(request, AccessRecord.Kind.BOOKING_STATUS, booking=booking)
    return render(request, "bookings/status/page.html", _status_context(booking, **panel_forms), status=status)


@role_required(roles.OPERATIONS)
def status_panel(request, pk):
    booking = get_booking(pk)
    if booking.status in IN_FLIGHT and request.GET.get("seen") == panel_state(booking):
        return HttpResponse(status=204)  # htmx keeps the panel (and its polling) as it is
    return render(request, "bookings/status/panel.html", _status_context(booking))


@role_required(roles.OPERATIONS)
def handoff_qr(request, pk):
    booking = get_booking(pk)
    if not booking.handoff_url:
        raise Http404(_("No link yet."))
    if not is_https_url(booking.handoff_url):
        raise Http404(_("The stored link is not an https:// link."))
    buffer = io.BytesIO()
    segno.make(booking.handoff_url, error="m").save(buffer, kind="svg", scale=5, border=2)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@role_required(roles.OPERATIONS)
def handoff_slip(request, pk):
    booking = get_booking(pk)
    if not booking.handoff_url:
        return redirect("bookings:status", pk=pk)
    paper = request.GET.get("paper") if request.GET.get("paper") in PAPER_SIZES else "a4"
    codes = [code for code, _ in settings.LANGUAGES]
    # The patient's language stored on the booking, unless staff pick another one for this print.
    language = request.GET.get("language") if request.GET.get("language") in codes else booking.patient_language
    logo = settings.CLINIC_LOGO
    context = {
        "booking": booking,
        "handoff": booking_handoff(booking),
        "paper": paper,
        "slip_language": language,
        "languages": settings.LANGUAGES,
        "clinic": {
            "name": settings.CLINIC_NAME,
            "address": settings.CLINIC_ADDRESS,
            "phone": settings.CLINIC_PHONE,
            "logo": logo if logo.startswith("https://") else static(logo) if logo else "",
        },
    }
    record_access(request, AccessRecord.Kind.HANDOFF_SLIP, booking=booking)
    # The slip is printed for the patient: in the language chosen for them, not the staff's.
    with translation.override(language):
        return render(request, "bookings/status/slip.html", context)


@role_required(roles.OPERATIONS)
def resume(request, pk):
    """Continue a draft (or a booking sent back for changes) at its first unfinished step."""
    booking = get_booking(pk)
    flow = flows.flow_for(booking)
    if booking.status in EDITABLE and flow:
        return redirect(flow.next_step_url(booking))
    return redirect("bookings:status", pk=pk)
