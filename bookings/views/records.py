"""The bookings list (operations and finance) and its CSV export (finance)."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access_records.models import AccessRecord
from access_records.services import query_filters, record_access
from accounts import roles
from accounts.roles import has_role, role_required
from bookings import list_controls, selectors
from bookings.export import bookings_csv_response
from bookings.filters import CHOICES_CACHE_SECONDS, BookingFilter
from bookings.models import Booking
from bookings.states import BOOKED, Status

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    label: str | Promise
    sort_key: str = ""  # the ``sort`` filter's name for this column; empty when it cannot be sorted on
    numeric: bool = False


COLUMNS = (
    Column(gettext_lazy("Reference"), "reference"),
    Column(gettext_lazy("Partner"), "partner"),
    Column(gettext_lazy("Status"), "status"),
    Column(gettext_lazy("Patient")),
    Column(gettext_lazy("Created"), "created"),
    Column(gettext_lazy("Appointment"), "appointment"),
    Column(gettext_lazy("Created by")),
    Column(gettext_lazy("Partner booking id")),
    Column(gettext_lazy("Amount"), "amount", numeric=True),
)


def _column_headers(current_sort: str) -> list[dict]:
    """Each column's label and, if sortable, the ``sort`` value its header links to and its aria-sort."""
    headers = []
    for column in COLUMNS:
        header = {"label": column.label, "numeric": column.numeric, "sort": column.sort_key, "aria_sort": ""}
        if column.sort_key and current_sort == column.sort_key:
            header.update(sort=f"-{column.sort_key}", aria_sort="ascending")
        elif column.sort_key and current_sort == f"-{column.sort_key}":
            header["aria_sort"] = "descending"
        headers.append(header)
    return headers


class CountedPaginator(Paginator):
    """A paginator told how many rows there are, so it does not run a COUNT query of its own."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


@role_required(roles.OPERATIONS, roles.FINANCE)
def booking_list(request):
    filterset = BookingFilter(request.GET, queryset=Booking.objects.all())
    bookings = filterset.qs
    totals = selectors.booking_totals(bookings, day_totals=filterset.day_totals_filter())
    # The totals count every filtered booking already: a second COUNT would read them all again.
    rows = selectors.with_list_columns(bookings)
    paginator = CountedPaginator(rows, PAGE_SIZE, count=totals.count)
    page = paginator.get_page(request.GET.get("page"))
    record_access(
        request,
        AccessRecord.Kind.BOOKING_LIST,
        filters=query_filters(request.GET),
        row_count=len(page.object_list),
    )
    context = {
        "filter": filterset,
        "page": page,
        "totals": totals,
        "booked_states": [Status(status).label for status in BOOKED],
        "columns": _column_headers(request.GET.get("sort", "")),
        "is_finance": has_role(request.user, roles.FINANCE),
        "can_resume": has_role(request.user, roles.OPERATIONS),
        "status_chips": list_controls.status_chips(request.GET),
        "date_presets": list_controls.date_presets(request.GET),
        "more_filters_open": list_controls.more_filters_open(filterset),
        "filter_choices_seconds": CHOICES_CACHE_SECONDS,
    }
    return render(request, "bookings/records/list.html", context)


@role_required(roles.FINANCE)
def booking_export(request):
    filterset = BookingFilter(request.GET, queryset=selectors.bookings_for_finance())
    if not filterset.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())
        return HttpResponseBadRequest(
            _("Invalid filters: %(problems)s") % {"problems": problems}, content_type="text/plain; charset=utf-8"
        )
    bookings = filterset.qs
    record_access(
        request,
        AccessRecord.Kind.BOOKING_EXPORT,
        filters=query_filters(request.GET),
        row_count=bookings.count(),
    )
    return bookings_csv_response(bookings)
