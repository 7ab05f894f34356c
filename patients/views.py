"""The patient directory's pages (operations): search, a patient's record, add and edit; a
patient typed on a booking saved to the directory, or the booking linked to one already there."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access_records.models import AccessRecord
from access_records.services import query_filters, record_access
from accounts import roles
from accounts.roles import role_required
from bookings.services.patient_link import booking_link_patient, booking_save_patient
from bookings.views.access import get_booking
from bookings.views.handoff_back import back_to, render_back
from patients import selectors
from patients.forms import PatientForm, PatientSearchForm, SaveTypedPatientForm
from patients.models import Patient
from patients.services import patient_create, patient_update


@role_required(roles.OPERATIONS)
def patient_list(request):
    search = PatientSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    found = list(selectors.search_patients(query) if query else Patient.objects.order_by("-updated_at", "-id")[:20])
    if found:
        record_access(
            request, AccessRecord.Kind.PATIENT_SEARCH, filters=query_filters(request.GET), row_count=len(found)
        )
    return render(request, "patients/list.html", {"search": search, "query": query, "patients": found})


@role_required(roles.OPERATIONS)
def patient_detail(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    record_access(request, AccessRecord.Kind.PATIENT, patient_id=patient.pk)
    context = {
        "patient": patient,
        "bookings": selectors.patient_bookings(patient),
        "history": selectors.patient_history(patient),
    }
    return render(request, "patients/detail.html", context)


@role_required(roles.OPERATIONS)
def patient_add(request):
    form = PatientForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        patient = patient_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("%(patient)s was added to the directory.") % {"patient": patient})
        return redirect("patients:detail", pk=patient.pk)
    return render(request, "patients/edit.html", {"form": form, "patient": None})


@role_required(roles.OPERATIONS)
def patient_edit(request, pk):
    patient = get_object_or_404(Patient, pk=pk)
    form = PatientForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        patient_update(patient_id=patient.pk, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Changes to %(patient)s were saved.") % {"patient": patient})
        return redirect("patients:detail", pk=patient.pk)
    record_access(request, AccessRecord.Kind.PATIENT_EDIT, patient_id=patient.pk)
    return render(request, "patients/edit.html", {"form": form, "patient": patient})


@require_POST
@role_required(roles.OPERATIONS)
def save_from_booking(request, pk):
    booking = get_booking(pk)
    form = SaveTypedPatientForm(request.POST, booking=booking)
    if form.is_valid():
        try:
            patient, created = booking_save_patient(booking_id=booking.pk, actor=request.user, **form.cleaned_data)
        except ValidationError as error:  # saved meanwhile (a second click, another tab)
            messages.info(request, " ".join(error.messages))
            return redirect(f"bookings:{back_to(request)}", pk=booking.pk)
        else:
            done = (
                _("%(patient)s was added to the directory.")
                if created
                else _("%(patient)s was already in the directory: the booking is linked to them.")
            )
            messages.success(request, done % {"patient": patient})
            return redirect(f"bookings:{back_to(request)}", pk=booking.pk)
    return render_back(request, booking, patient_form=form)


@require_POST
@role_required(roles.OPERATIONS)
def link_to_booking(request, pk):
    booking = get_booking(pk)
    matches = selectors.directory_matches(mobile=booking.mobile, email=booking.email)
    patient = next((match for match in matches if str(match.pk) == request.POST.get("patient")), None)
    if patient is None:
        messages.error(request, _("Choose one of the patients of the directory with this booking's mobile or email."))
    else:
        try:
            booking_link_patient(booking_id=booking.pk, patient_id=patient.pk, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The booking is linked to %(patient)s.") % {"patient": patient})
    return redirect(f"bookings:{back_to(request)}", pk=booking.pk)
