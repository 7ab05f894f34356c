"""The Django admin's pages of patient data write access records as the portal's pages do."""

from access_records.services import query_filters, record_access


class RecordedAccessAdminMixin:
    """One record per changelist page (its filter and the rows shown) and per change page.

    ``list_kind`` and ``object_kind`` are ``AccessRecord.Kind`` values; ``record_target`` says
    which booking and patient an object names.
    """

    list_kind = ""
    object_kind = ""

    def record_target(self, obj) -> dict:
        return {"booking": obj}

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if response.status_code == 200 else None
        if changelist is not None:
            record_access(
                request, self.list_kind, filters=query_filters(request.GET), row_count=len(changelist.result_list)
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = getattr(response, "context_data", {}).get("original") if response.status_code == 200 else None
        if shown is not None:
            record_access(request, self.object_kind, **self.record_target(shown))
        return response
