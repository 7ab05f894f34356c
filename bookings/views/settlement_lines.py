"""A settlement report's lines: finance's decision on a line that did not match, and the report as CSV."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.roles import role_required
from bookings import selectors
from bookings.models import SettlementLine
from bookings.reconciliation.report_export import report_csv_response
from bookings.services.reconciliation import settlement_line_resolve

OPEN = ""


class LineDecisionForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Decision"),
        choices=SettlementLine.Resolution.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose disputed or explained.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to explain a line: the partner's answer, a credit note, a bank reference."),
    )

    def __init__(self, *args, decided: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if decided:  # a decision taken can be withdrawn
            field = self.fields["resolution"]
            field.choices = [*field.choices, (OPEN, _("Open again (no decision)"))]
            field.required = False


@role_required(roles.FINANCE)
def settlement_line(request, pk, line_pk):
    settlement = get_object_or_404(selectors.settlement_imports(), pk=pk)
    line = get_object_or_404(settlement.lines.select_related("booking", "resolved_by"), pk=line_pk)
    back = _back_url(request, settlement.pk)
    initial = {"resolution": line.resolution or SettlementLine.Resolution.DISPUTED, "note": line.resolution_note}
    form = LineDecisionForm(request.POST or None, initial=initial, decided=bool(line.resolution))
    if line.category == SettlementLine.Category.MATCHED:
        form = None
    elif request.method == "POST" and form.is_valid():
        try:
            settlement_line_resolve(
                line_id=line.pk,
                resolution=form.cleaned_data["resolution"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Decision saved for line %(line)s.") % {"line": line.line_number or "—"})
            return redirect(back)
    context = {"settlement": settlement, "line": line, "form": form, "back": back}
    status = 400 if form is not None and form.errors else 200
    return render(request, "bookings/finance/settlement_line.html", context, status=status)


def _back_url(request, settlement_pk: int) -> str:
    """The report page the line was opened from (its category and page kept), else the report."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("bookings:settlement", args=[settlement_pk])


@role_required(roles.FINANCE)
def settlement_report_export(request, pk):
    settlement = get_object_or_404(selectors.settlement_imports(), pk=pk)
    return report_csv_response(settlement)
