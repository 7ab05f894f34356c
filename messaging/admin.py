from django.contrib import admin

from messaging.models import Message
from partners.admin_mixins import ViewOnlyModelAdmin


@admin.register(Message)
class MessageAdmin(ViewOnlyModelAdmin):
    """Messages to patients, read-only: staff send them from the booking's pages. The recipient
    is stored masked; the text sent is not stored."""

    list_display = (
        "created_at",
        "booking",
        "template",
        "channel",
        "recipient_masked",
        "status",
        "attempts",
        "sent_at",
        "requested_by",
    )
    list_filter = ("status", "channel", "template", "created_at")
    search_fields = ("booking__reference", "recipient_masked", "provider_id", "=intent")
    list_select_related = ("booking", "requested_by")
    date_hierarchy = "created_at"
