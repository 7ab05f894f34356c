"""Settlement reconciliation (finance): upload a partner's file, read the report, confirm."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.roles import role_required
from bookings import selectors
from bookings.models import SettlementImport, SettlementLine
from bookings.reconciliation.parsing import TEMPLATE_HEADER, SettlementFileError, human_size, max_file_bytes
from bookings.services.reconciliation import (
    settlement_import_confirm,
    settlement_import_create,
    settlement_import_recheck,
)
from bookings.states import Status
from bookings.templatetags.money import format_money
from partners.models import Partner

LINES_PER_PAGE = 100
ERRORS_SHOWN = 500


class SettlementUploadForm(forms.Form):
    # No default: a file checked against the wrong partner matches nothing.
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.filter(is_active=True),
        label=_("Partner / product"),
        empty_label=_("Choose the partner who sent the file"),
        error_messages={"required": _("Choose the partner who sent this file.")},
    )
    file = forms.FileField(
        label=gettext_lazy("Settlement file (CSV)"),
        allow_empty_file=True,  # the parser answers an empty file with its own message
        help_text=format_lazy(
            gettext_lazy("Columns: {columns} (status optional). At most {size}."),
            columns=TEMPLATE_HEADER,
            size=lazy(lambda: human_size(max_file_bytes()), str)(),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


@role_required(roles.FINANCE)
def settlement_list(request):
    form = SettlementUploadForm(request.POST or None, request.FILES or None)
    file_errors = None
    if request.method == "POST" and form.is_valid():
        try:
            settlement, created = settlement_import_create(
                partner=form.cleaned_data["partner"], uploaded_file=form.cleaned_data["file"], actor=request.user
            )
        except SettlementFileError as error:
            form.add_error("file", error.message)
            file_errors = error.errors
        else:
            if not created:
                messages.info(request, _("This file was already imported: nothing changed. Here is its report."))
            return redirect("bookings:settlement", pk=settlement.pk)
    context = {
        "form": form,
        "file_errors": file_errors[:ERRORS_SHOWN] if file_errors else None,
        "more_errors": max(0, len(file_errors or []) - ERRORS_SHOWN),
        "imports": selectors.settlement_imports()[:50],
        # A browser never keeps a chosen file when the form comes back: say so, beside the field.
        "choose_file_again": "partner" in form.errors and "file" in request.FILES,
    }
    return render(request, "bookings/finance/settlements.html", context, status=400 if form.errors else 200)


@role_required(roles.FINANCE)
def settlement_template(request):
    response = HttpResponse(TEMPLATE_HEADER + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="settlement-template.csv"'
    return response


@role_required(roles.FINANCE)
def settlement_report(request, pk):
    settlement = get_object_or_404(selectors.settlement_imports(), pk=pk)
    category = request.GET.get("category") or None
    if category and category not in SettlementLine.Category.values:
        raise Http404(_("No such category."))
    page = Paginator(selectors.settlement_lines(settlement, category), LINES_PER_PAGE).get_page(request.GET.get("page"))
    counts = settlement.summary.get("counts", {})
    tabs = [(value, label, counts.get(value, 0)) for value, label in SettlementLine.Category.choices]
    context = {
        "settlement": settlement,
        "page": page,
        "category": category,
        "tabs": tabs,
        "first_paid_at": _summary_time(settlement.summary.get("first_paid_at")),
        "last_paid_at": _summary_time(settlement.summary.get("last_paid_at")),
        "skipped": [_skipped_line(item) for item in settlement.summary.get("confirmation", {}).get("skipped", [])],
    }
    if not settlement.matched_count and not settlement.is_confirmed:
        context["recheck_form"] = RecheckForm(settlement=settlement)
    return render(request, "bookings/finance/settlement_report.html", context)


def _summary_time(value: str | None):
    return parse_datetime(value) if value else None


def _skipped_line(item: dict) -> dict:
    """A booking the confirmation skipped, with why in the reader's language (older rows kept their sentence)."""
    if "reason" in item:
        return item
    status = Status(item["status"]).label.lower() if item.get("status") in Status.values else item.get("status", "")
    amount = format_money(item.get("amount"), item.get("currency", "")) or "—"
    reason = _("The booking is now %(status)s, %(amount)s.") % {"status": status, "amount": amount}
    return {**item, "reason": reason}


class RecheckForm(forms.Form):
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(),
        label=_("Check this file against"),
        empty_label=_("Choose the partner who sent the file"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"required": _("Choose the partner who sent this file.")},
    )

    def __init__(self, *args, settlement: SettlementImport, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        field.queryset = Partner.objects.filter(is_active=True).exclude(pk=settlement.partner_id)
        # The partner whose bookings carry the file's ids, if any, is the likely one.
        if likely := settlement.summary.get("matches_elsewhere"):
            field.initial = field.queryset.filter(code=likely[0]["partner"]).first()


@require_POST
@role_required(roles.FINANCE)
def settlement_recheck(request, pk):
    settlement = get_object_or_404(selectors.settlement_imports(), pk=pk)
    form = RecheckForm(request.POST, settlement=settlement)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["partner"]))
        return redirect("bookings:settlement", pk=pk)
    checked, created = settlement_import_recheck(import_id=pk, partner=form.cleaned_data["partner"], actor=request.user)
    if not created:
        messages.info(request, _("This file was already checked against this partner: here is that report."))
    return redirect("bookings:settlement", pk=checked.pk)


@require_POST
@role_required(roles.FINANCE)
def settlement_confirm(request, pk):
    settlement = get_object_or_404(selectors.settlement_imports(), pk=pk)
    if settlement.is_confirmed:
        messages.info(request, _("This import was already confirmed: nothing changed."))
        return redirect("bookings:settlement", pk=pk)
    try:
        settlement = settlement_import_confirm(import_id=settlement.pk, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("bookings:settlement", pk=pk)
    confirmation = settlement.summary.get("confirmation", {})
    reconciled, skipped = confirmation.get("reconciled", 0), len(confirmation.get("skipped", []))
    text = ngettext("%(count)d booking reconciled.", "%(count)d bookings reconciled.", reconciled) % {
        "count": reconciled
    }
    if skipped:
        text += " " + ngettext(
            "%(count)d skipped because it changed since the report.",
            "%(count)d skipped because they changed since the report.",
            skipped,
        ) % {"count": skipped}
    messages.success(request, text)
    return redirect("bookings:settlement", pk=pk)


@role_required(roles.FINANCE)
def settlement_file(request, pk):
    settlement = get_object_or_404(SettlementImport, pk=pk)
    response = HttpResponse(bytes(settlement.content), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="settlement-{settlement.pk}.csv"'
    return response
