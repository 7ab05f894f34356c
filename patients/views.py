"""The patient directory's pages (operations): search, a patient's record, add and edit."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from access_records.models import AccessRecord
from access_records.services import record_access
from accounts import roles
from accounts.roles import role_required
from patients import selectors
from patients.forms import PatientForm, PatientSearchForm
from patients.models import Patient
from patients.services import patient_create, patient_update


@role_required(roles.OPERATIONS)
def patient_list(request):
    search = PatientSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    found = selectors.search_patients(query) if query else Patient.objects.order_by("-updated_at", "-id")[:20]
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
    return render(request, "patients/edit.html", {"form": form, "patient": patient})
