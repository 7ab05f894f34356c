"""Sandicare teleconsult enrollment: one form, a warning for a same-day repeat, then the status page.

The form posts to its own URL; the draft holds everything typed, so the enrollment can be
reopened (``enrollment-edit``) after Sandicare rejected it.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from access_records.models import AccessRecord
from access_records.services import query_filters, record_access
from accounts import roles
from accounts.roles import role_required
from bookings import flows, selectors, selectors_enrollment
from bookings.forms.enrollment import EnrollmentForm, HistorySearchForm
from bookings.models import Booking
from bookings.services.drafts import booking_create_draft, booking_update_selection, intent_from_selection
from bookings.services.submission import SameDayRepeat, booking_submit
from bookings.states import EDITABLE, Status
from bookings.views import intents
from bookings.views.access import get_booking
from partners.models import Partner
from patients import selectors as patient_selectors
from patients.forms import PatientSearchForm

SANDICARE = Partner.Code.SANDICARE
FORM_TEMPLATE = "bookings/enrollment/form.html"
HISTORY_PAGE_SIZE = 25


def _form_filled(booking: Booking) -> bool:
    return bool(booking.program_id and booking.sandicare_service and booking.email and booking.patient_dob)


flows.register(
    flows.Flow(
        partner_code=SANDICARE,
        start_url_name="bookings:enrollment-start",
        steps=(flows.Step("form", _("Enrollment details"), "bookings:enrollment-edit", is_done=_form_filled),),
        recovery_steps={"validation": "form", "not_found": "form", "partner_failure": "form"},
    )
)


def _save_and_submit(request, booking: Booking, selection: dict):
    """Store the form on the draft and send it, or ask first when it repeats today's enrollment."""
    try:
        booking = booking_update_selection(booking_id=booking.pk, actor=request.user, **selection)
    except ValidationError:
        # Sent already, by the same form posted a moment earlier.
        return redirect("bookings:status", pk=booking.pk)
    try:
        booking_submit(booking_id=booking.pk, actor=request.user)
    except SameDayRepeat:
        return redirect("bookings:enrollment-confirm", pk=booking.pk)
    return redirect("bookings:status", pk=booking.pk)


@require_http_methods(["GET", "POST"])
@role_required(roles.OPERATIONS)
def enrollment_start(request):
    chosen = patient_selectors.chosen_patient(request.GET.get("patient"))
    initial = patient_selectors.enrollment_initial(chosen) if chosen else {}
    form = EnrollmentForm(request.POST or None, programs=selectors_enrollment.enrollment_programs(), initial=initial)
    if form.is_valid():
        selection = form.selection()
        # A post without the form's key (not from our page) is keyed by what it asks for.
        intent = intents.posted_intent(request) or intent_from_selection(
            actor=request.user, partner_code=SANDICARE, selection=selection
        )
        try:
            booking = booking_create_draft(partner_code=SANDICARE, actor=request.user, intent=intent)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if booking.status not in EDITABLE:
                return redirect("bookings:status", pk=booking.pk)
            return _save_and_submit(request, booking, selection)
    search = PatientSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    found = list(patient_selectors.search_patients(query))
    if found or chosen or request.method == "POST":
        # Search results, a form filled from a directory patient, or what was typed sent back.
        record_access(
            request,
            AccessRecord.Kind.FLOW_START,
            patient_id=chosen.pk if chosen else None,
            filters=query_filters(request.GET),
            row_count=len(found),
        )
    context = {
        "form": form,
        "intent": intents.form_intent(request),
        "search": search,
        "query": query,
        "patients": found,
        "chosen_patient": chosen,
    }
    return render(request, FORM_TEMPLATE, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@role_required(roles.OPERATIONS)
def enrollment_edit(request, pk):
    booking = get_booking(pk, partner_code=SANDICARE)
    if booking.status not in EDITABLE:
        return redirect("bookings:status", pk=pk)
    programs = selectors_enrollment.enrollment_programs()
    if request.method == "GET":
        # Bound to what the draft holds, so its problems (and Sandicare's answer) show at once.
        data = EnrollmentForm.data_from(booking)
        form = EnrollmentForm(data if _form_filled(booking) else None, programs=programs, initial=data)
        if form.is_bound and booking.status == Status.FAILED and booking.partner_message:
            outcome = selectors.last_failure_outcome(booking)
            form.add_partner_error(booking.partner_message, field_hint=outcome == "validation")
        record_access(request, AccessRecord.Kind.FLOW_STEP, booking=booking)
        # Reopened by staff after Sandicare did not make it: say why they are back here.
        reopened = booking.status == Status.DRAFT and selectors.reopened_from(booking) == Status.NEEDS_ATTENTION
        return render(request, FORM_TEMPLATE, {"form": form, "booking": booking, "reopened": reopened})
    form = EnrollmentForm(request.POST, programs=programs)
    if form.is_valid():
        return _save_and_submit(request, booking, form.selection())
    record_access(request, AccessRecord.Kind.FLOW_STEP, booking=booking)
    return render(request, FORM_TEMPLATE, {"form": form, "booking": booking}, status=400)


@require_http_methods(["GET", "POST"])
@role_required(roles.OPERATIONS)
def enrollment_confirm(request, pk):
    """The patient was already enrolled for this service today: enroll again only if staff confirm."""
    booking = get_booking(pk, partner_code=SANDICARE)
    if booking.status != Status.DRAFT:
        return redirect("bookings:status", pk=pk)
    if request.method == "POST":
        booking_submit(booking_id=booking.pk, actor=request.user, repeat_confirmed=True)
        return redirect("bookings:status", pk=pk)
    earlier = selectors_enrollment.same_day_enrollments(booking)
    record_access(request, AccessRecord.Kind.FLOW_STEP, booking=booking)
    return render(request, "bookings/enrollment/confirm.html", {"booking": booking, "earlier": earlier})


@role_required(roles.OPERATIONS)
def enrollment_history(request):
    """Past enrollments, newest first: a patient's when an email is given, else everyone's."""
    form = HistorySearchForm(request.GET)
    page = None
    if form.is_valid():
        enrollments = selectors_enrollment.enrollment_history(email=form.cleaned_data["email"])
        page = Paginator(enrollments, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        record_access(
            request,
            AccessRecord.Kind.ENROLLMENT_HISTORY,
            filters=query_filters(request.GET),
            row_count=len(page.object_list),
        )
    return render(request, "bookings/enrollment/history.html", {"form": form, "page": page})
