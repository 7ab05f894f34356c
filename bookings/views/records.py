"""The bookings list (operations and finance) and its CSV export (finance)."""

from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from accounts import roles
from accounts.roles import has_role, role_required
from bookings import selectors
from bookings.export import bookings_csv_response
from bookings.filters import SORT_FIELDS, BookingFilter
from bookings.models import Booking
from bookings.states import Status

PAGE_SIZE = 50
STATUS_LABELS = dict(Status.choices)


def _sort_links(current: str) -> dict[str, dict]:
    """For each sortable column: the ``sort`` value its header links to and its aria-sort state."""
    links = {}
    for key in SORT_FIELDS:
        if current == key:
            links[key] = {"value": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            links[key] = {"value": key, "aria": "descending"}
        else:
            links[key] = {"value": key, "aria": ""}
    return links


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
    paginator = CountedPaginator(rows, PAGE_SIZE, count=sum(row["count"] for row in totals))
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "totals": totals,
        "sort_links": _sort_links(request.GET.get("sort", "")),
        "status_labels": STATUS_LABELS,
        "is_finance": has_role(request.user, roles.FINANCE),
        "can_resume": has_role(request.user, roles.OPERATIONS),
    }
    # Jinja2 renders the 50 rows and the filters several times faster than Django's template language.
    body = render_to_string("bookings/records/list_body.html", context, request, using="jinja2")
    return render(request, "bookings/records/list.html", {**context, "body": mark_safe(body)})  # noqa: S308 - autoescaped by Jinja2


@role_required(roles.FINANCE)
def booking_export(request):
    filterset = BookingFilter(request.GET, queryset=selectors.bookings_for_finance())
    if not filterset.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())
        return HttpResponseBadRequest(f"Invalid filters: {problems}", content_type="text/plain; charset=utf-8")
    return bookings_csv_response(filterset.qs)
