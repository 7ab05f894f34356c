from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from access_records.admin_mixins import RecordedAccessAdminMixin
from access_records.models import AccessRecord
from messaging.models import Message, MessageAttempt
from partners.admin_mixins import ViewOnlyModelAdmin


class MessageAttemptInline(admin.TabularInline):
    model = MessageAttempt
    extra = 0
    can_delete = False
    fields = ("number", "started_at", "outcome", "http_status", "duration_ms", "error", "call")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(RecordedAccessAdminMixin, ViewOnlyModelAdmin):
    """Messages to patients, read-only: staff send them from the booking's pages. The recipient
    is stored masked; the text sent is not stored."""

    list_display = (
        "created_at",
        "booking",
        "template",
        "channel",
        "recipient_masked",
        "status",
        "attempt_count",
        "sent_at",
        "requested_by",
    )
    list_filter = ("status", "channel", "template", "provider", "created_at")
    search_fields = ("booking__reference", "recipient_masked", "provider_id", "=intent")
    list_select_related = ("booking", "requested_by")
    date_hierarchy = "created_at"
    inlines = [MessageAttemptInline]
    list_kind = AccessRecord.Kind.ADMIN_MESSAGE_LIST
    object_kind = AccessRecord.Kind.ADMIN_MESSAGE

    def record_target(self, obj) -> dict:
        return {"booking": obj.booking}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attempt_count=Count("attempt_log"))

    @admin.display(description=_("attempts"), ordering="attempt_count")
    def attempt_count(self, obj):
        return obj.attempt_count
