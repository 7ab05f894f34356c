"""A patient's request (superusers): find what is held, download it, erase it.

Each step writes an access record naming the directory entry found (if any), the number of
bookings, and the email or mobile masked. Erasure follows the retention rules
(``privacy.erasure``), now and whatever the data's age, after a confirmation.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from access_records.models import AccessRecord
from access_records.services import mask_search_term, record_access
from privacy import erasure, export, selectors
from privacy.forms import EraseForm, PatientRequestForm

Kind = AccessRecord.Kind


def superuser_required(view):
    """403 unless the (logged-in) user is a superuser: a patient's request is for admins only."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _record(request, kind: str, data: selectors.PatientData, query: dict[str, str]) -> None:
    """The record of one step: the directory entry found (when one), the bookings counted, and
    what the patient was looked up by, masked."""
    record_access(
        request,
        kind,
        patient_id=data.patients[0].pk if len(data.patients) == 1 else None,
        filters={key: [mask_search_term(value)] for key, value in query.items()},
        row_count=len(data.bookings),
    )


ACTIONS = (
    ("privacy:export-json", gettext_lazy("Download as JSON"), "btn-outline-secondary"),
    ("privacy:export-csv", gettext_lazy("Download as CSV"), "btn-outline-secondary"),
    ("privacy:erase", gettext_lazy("Erase…"), "btn-danger"),
)


def _find_page(request, form, data=None):
    context = {"form": form, "data": data, "actions": ACTIONS}
    return render(request, "privacy/find.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@superuser_required
def find(request):
    """The search is posted: an email or a mobile in a URL would stay in access logs and history."""
    if request.method == "GET":
        return _find_page(request, PatientRequestForm())
    form = PatientRequestForm(request.POST)
    if not form.is_valid():
        return _find_page(request, form)
    data = selectors.find(form.query())
    _record(request, Kind.REQUEST_FIND, data, form.query())
    return _find_page(request, form, data)


def _export(request, kind: str, respond):
    form = PatientRequestForm(request.POST)
    if not form.is_valid():
        return _find_page(request, form)
    data = selectors.find(form.query())
    _record(request, kind, data, form.query())
    return respond(data)


@require_POST
@superuser_required
def export_json(request):
    return _export(request, Kind.REQUEST_EXPORT_JSON, export.json_response)


@require_POST
@superuser_required
def export_csv(request):
    return _export(request, Kind.REQUEST_EXPORT_CSV, export.csv_response)


@require_POST
@superuser_required
def erase(request):
    """From the search's results: what would be erased and the confirmation. Confirmed: erase,
    then back to the search."""
    lookup = PatientRequestForm(request.POST)
    if not lookup.is_valid():
        return _find_page(request, lookup)
    query = lookup.query()
    confirming = request.POST.get("step") == "confirm"
    form = EraseForm(request.POST if confirming else None, initial=query)
    data = selectors.find(query)
    if confirming and form.is_valid():
        changes = erasure.erase(erasure.request_selection(**query))
        _record(request, Kind.REQUEST_ERASE, data, query)
        messages.success(
            request,
            _(
                "Erased. Bookings pseudonymised: %(bookings)s; directory entries removed: %(patients)s; "
                "partner calls cleaned: %(calls)s; messages cleaned: %(messages)s."
            )
            % {
                "bookings": changes.bookings,
                "patients": changes.patients,
                "calls": changes.partner_calls,
                "messages": changes.messages,
            },
        )
        return redirect("privacy:find")
    _record(request, Kind.REQUEST_FIND, data, query)
    counted = erasure.count(erasure.request_selection(**query))
    context = {"form": form, "lookup": lookup, "data": data, "counted": counted}
    return render(request, "privacy/erase.html", context, status=400 if form.errors else 200)
