"""Erasing the patient identifiers a partner call log still holds for bookings past retention.

The client stores bodies redacted (``partners.redaction``): identifiers masked, not gone. When
a booking is pseudonymised its calls lose the masks too, the booking's own calls and those made
for it without naming it (a message provider's); what finance and support need of a call
(operation, outcome, status codes, the partner's booking id and amounts in the bodies) stays.
"""

from collections.abc import Iterable, Mapping

from django.db.models import Q, QuerySet

from partners.models import UpstreamCall
from partners.redaction import erase_json, erase_text, scrub

ERASED_FIELDS = ("url", "request_body", "response_body", "error")


def calls_of_bookings(booking_ids: Iterable[int], *, call_ids: Iterable[int] = ()) -> QuerySet[UpstreamCall]:
    """The calls of these bookings, and the calls ``call_ids`` made for them."""
    return UpstreamCall.objects.filter(Q(booking_id__in=_ids(booking_ids)) | Q(pk__in=list(call_ids)))


def calls_erase(
    sensitive_by_booking: Mapping[int, tuple[str, ...]], *, booking_of_call: Mapping[int, int] | None = None
) -> int:
    """Erase identifiers from the calls of each booking, ``sensitive`` being the values the
    booking held (names, email, mobile) to scrub from any text; ``booking_of_call`` names the
    booking of calls that do not (``{call id: booking id}``). Returns the number of calls changed."""
    booking_of_call = booking_of_call or {}
    calls = list(
        calls_of_bookings(sensitive_by_booking, call_ids=booking_of_call).only("id", "booking_id", *ERASED_FIELDS)
    )
    for call in calls:
        booking_id = call.booking_id or booking_of_call.get(call.pk, 0)
        sensitive = sensitive_by_booking.get(booking_id, ())
        call.url = scrub(call.url, sensitive)
        call.request_body = erase_json(call.request_body, sensitive=sensitive)
        call.response_body = erase_text(call.response_body, sensitive=sensitive)
        call.error = scrub(call.error, sensitive)
    UpstreamCall.objects.bulk_update(calls, ERASED_FIELDS, batch_size=500)
    return len(calls)


def _ids(booking_ids) -> QuerySet | list[int]:
    """A subquery stays one (``values_list("pk")``); a dict or a list of ids becomes a list."""
    return booking_ids if isinstance(booking_ids, QuerySet) else list(booking_ids)
