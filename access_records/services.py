"""Writing an access record: one call from each view that shows a patient's data.

A record names what was shown by id (booking, patient) and, for a list or an export, by the
filter and the number of rows: one INSERT per request whatever the page size. The table is
append-only, so it must hold no identifier that erasure would have to reach: a search term
typed into a filter (a name, an email, a mobile) is stored masked.
"""

import re

from access_records.models import AccessRecord
from partners.redaction import mask_email, mask_mobile, mask_name

# Query parameters that carry what staff typed to find a patient.
SEARCH_KEYS = frozenset({"q", "email", "mobile", "name", "patient_name"})
_PHONE_LIKE = re.compile(r"^[+\d][\d\s().-]{3,}$")
# A reference or a partner booking id: one word holding a digit, not a phone number.
_ID_LIKE = re.compile(r"^(?=.*\d)[\w.-]+$")


def record_access(request, kind: str, *, booking=None, patient_id=None, filters=None, row_count=None) -> AccessRecord:
    """Record that ``request.user`` was shown ``booking`` (and its patient), a patient, or an
    export/list of ``row_count`` rows chosen by ``filters`` (the query string, as lists)."""
    if booking is not None and patient_id is None:
        patient_id = booking.patient_id
    return AccessRecord.objects.create(
        user=request.user,
        kind=kind,
        booking_id=booking.pk if booking is not None else None,
        patient_id=patient_id,
        filters=filters or {},
        row_count=row_count,
        request_id=getattr(request, "request_id", ""),
    )


def mask_search_term(value: str) -> str:
    """A search term as the record keeps it: an id as typed, a name, email or mobile masked."""
    value = " ".join(str(value).split())
    if not value:
        return value
    if "@" in value:
        return mask_email(value)
    if _PHONE_LIKE.match(value):
        return mask_mobile(re.sub(r"[^\d+]", "", value))
    if _ID_LIKE.match(value):
        return value
    return " ".join(mask_name(word) for word in value.split())


def query_filters(query_dict) -> dict[str, list[str]]:
    """A QueryDict as a plain dict of lists (a filter may repeat, e.g. status), search terms masked."""
    return {
        key: [mask_search_term(value) if key in SEARCH_KEYS else value for value in query_dict.getlist(key)]
        for key in query_dict
    }
