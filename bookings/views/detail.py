"""One booking's record: its timeline, and the actions each role may take on it."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access_records.models import AccessRecord
from access_records.services import record_access
from accounts import roles
from accounts.roles import has_role, role_required
from bookings import selectors
from bookings.services import actions
from bookings.services.reconciliation import booking_mark_reconciled
from bookings.services.transitions import TransitionNotAllowed
from bookings.states import RECONCILABLE, Status
from bookings.views.access import get_booking
from bookings.views.handoff_panel import handoff_panel


class ResolveVerificationForm(forms.Form):
    booked = forms.TypedChoiceField(
        label=gettext_lazy("What does the partner say?"),
        choices=[
            ("yes", gettext_lazy("The partner has this booking")),
            ("no", gettext_lazy("The partner has no booking")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    upstream_booking_id = forms.CharField(
        label=gettext_lazy("Partner booking id"),
        required=False,
        max_length=64,
        help_text=gettext_lazy("As the partner confirms it."),
    )
    handoff_url = forms.CharField(
        label=gettext_lazy("Payment or enrollment link"),
        required=False,
        max_length=1000,
        help_text=gettext_lazy("The https:// link."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=300, help_text=gettext_lazy("Who confirmed it, how.")
    )


class MarkReconciledForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("How was the payment checked?"),
        max_length=300,
        help_text=gettext_lazy("E.g. the bank transfer reference or the partner statement."),
    )


def _pretty(value) -> str:
    return "" if value in (None, "") else json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def render_detail(request, booking, *, resolve_form=None, reconcile_form=None, status=200, **panel_forms):
    record_access(request, AccessRecord.Kind.BOOKING_RECORD, booking=booking)
    timeline = selectors.booking_timeline(booking)
    for entry in timeline:
        if entry.call is not None:
            entry.call.request_pretty = _pretty(entry.call.request_body)
    is_operations = has_role(request.user, roles.OPERATIONS)
    is_finance = has_role(request.user, roles.FINANCE)
    context = {
        "booking": booking,
        "timeline": timeline,
        "is_operations": is_operations,
        "can_retry": is_operations and booking.status == Status.NEEDS_ATTENTION,
        "can_cancel": is_operations and booking.status == Status.DRAFT,
        "can_resolve": is_operations and booking.status == Status.VERIFY_WITH_PARTNER,
        "can_reconcile": is_finance and booking.status in RECONCILABLE,
        "resolve_form": resolve_form or ResolveVerificationForm(),
        "reconcile_form": reconcile_form or MarkReconciledForm(),
        **(handoff_panel(booking, **panel_forms) if is_operations and booking.handoff_url else {}),
    }
    return render(request, "bookings/records/detail.html", context, status=status)


def _add_service_errors(form: forms.Form, error: ValidationError) -> None:
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _not_allowed(request, error: TransitionNotAllowed, what: str) -> None:
    messages.error(
        request,
        _("%(action)s is not possible: %(booking)s is %(status)s.")
        % {"action": what, "booking": error.booking, "status": error.booking.get_status_display().lower()},
    )


def _back(request, pk):
    """Where an action returns to: the page it was taken from (status page or detail)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)  # redirect() would take "next=abc" for a view name: NoReverseMatch
    return redirect("bookings:detail", pk=pk)


@role_required(roles.OPERATIONS, roles.FINANCE)
def booking_detail(request, pk):
    return render_detail(request, get_booking(pk))


@require_POST
@role_required(roles.OPERATIONS)
def detail_retry(request, pk):
    try:
        actions.booking_retry(booking_id=get_booking(pk).pk, actor=request.user)
        messages.success(request, _("The booking is queued and will be sent again."))
    except TransitionNotAllowed as error:
        _not_allowed(request, error, _("Retrying"))
    return _back(request, pk)


@require_POST
@role_required(roles.OPERATIONS)
def detail_cancel(request, pk):
    try:
        actions.booking_cancel(booking_id=get_booking(pk).pk, actor=request.user)
        messages.success(request, _("The draft is cancelled."))
    except TransitionNotAllowed as error:
        _not_allowed(request, error, _("Cancelling"))
    return _back(request, pk)


def _form_action(request, booking, form, *, form_name: str, run, what: str, done: str):
    """Validate ``form`` and ``run`` the service with it; back to the record, or the record
    showing the form with its errors (400)."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        except TransitionNotAllowed as error:
            _not_allowed(request, error, what)
            return redirect("bookings:detail", pk=booking.pk)
        else:
            messages.success(request, done)
            return redirect("bookings:detail", pk=booking.pk)
    return render_detail(request, booking, status=400, **{form_name: form})


@require_POST
@role_required(roles.OPERATIONS)
def detail_resolve(request, pk):
    booking = get_booking(pk)
    return _form_action(
        request,
        booking,
        ResolveVerificationForm(request.POST),
        form_name="resolve_form",
        run=lambda data: actions.booking_resolve_verification(booking_id=booking.pk, actor=request.user, **data),
        what=_("Resolving"),
        done=_("Recorded what the partner confirmed."),
    )


@require_POST
@role_required(roles.FINANCE)
def detail_mark_reconciled(request, pk):
    booking = get_booking(pk)
    return _form_action(
        request,
        booking,
        MarkReconciledForm(request.POST),
        form_name="reconcile_form",
        run=lambda data: booking_mark_reconciled(booking_id=booking.pk, actor=request.user, reason=data["reason"]),
        what=_("Reconciling"),
        done=_("The booking is reconciled."),
    )
