"""Writing an access record: one call from each view that shows a patient's data."""

from access_records.models import AccessRecord


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


def query_filters(query_dict) -> dict[str, list[str]]:
    """A QueryDict as a plain dict of lists (a filter may repeat, e.g. status)."""
    return {key: query_dict.getlist(key) for key in query_dict}
