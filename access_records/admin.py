from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from access_records.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """Read-only: the table refuses changes anyway, the admin does not offer them."""

    list_display = ["created_at", "user", "kind", "booking_id", "patient_id", "row_count", "request_id"]
    list_filter = ["kind", ("user", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["user__username", "=booking_id", "=patient_id", "=request_id"]
    search_help_text = _("A username, a booking id, a patient id or a request id.")
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
