from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from access_records.admin_mixins import RecordedAccessAdminMixin
from access_records.models import AccessRecord
from bookings.models import Booking, BookingEvent, SettlementImport, SettlementLine
from partners.admin_mixins import ReadOnlyModelAdmin, ViewOnlyModelAdmin


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "actor", "reason_in_words", "upstream_call")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("reason"))
    def reason_in_words(self, obj):
        return obj.reason_text


@admin.register(Booking)
class BookingAdmin(RecordedAccessAdminMixin, ReadOnlyModelAdmin):
    """Read-only view of bookings: every change goes through the portal's booking services."""

    list_display = ("reference", "partner", "status", "patient_name", "amount", "currency", "created_at", "created_by")
    list_filter = ("partner", "status", "created_at")
    list_select_related = ("partner", "created_by")
    search_fields = ("reference", "upstream_booking_id", "patient_name", "email", "mobile")
    date_hierarchy = "created_at"
    inlines = [BookingEventInline]
    list_kind = AccessRecord.Kind.ADMIN_BOOKING_LIST
    object_kind = AccessRecord.Kind.ADMIN_BOOKING
    # Shown as text: the admin would link any stored URL, and only https:// links are ever shown as links.
    LINK_FIELDS = {"payment_url": "payment_link", "enrollment_url": "enrollment_link"}
    exclude = tuple(LINK_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return [self.LINK_FIELDS.get(name, name) for name in super().get_readonly_fields(request, obj)]

    @admin.display(description=_("payment URL"))
    def payment_link(self, obj):
        return obj.payment_url

    @admin.display(description=_("enrollment URL"))
    def enrollment_link(self, obj):
        return obj.enrollment_url


@admin.register(BookingEvent)
class BookingEventAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "booking", "from_status", "to_status", "actor")
    list_select_related = ("booking", "actor")
    list_filter = ("to_status",)
    exclude = ("reason", "reason_params")

    def get_readonly_fields(self, request, obj=None):
        fields = [name for name in super().get_readonly_fields(request, obj) if name not in self.exclude]
        return [*fields, "reason_in_words"]

    @admin.display(description=_("reason"))
    def reason_in_words(self, obj):
        return obj.reason_text


@admin.register(SettlementImport)
class SettlementImportAdmin(ViewOnlyModelAdmin):
    """Read-only: imports are made and confirmed on the settlement pages."""

    list_display = ("id", "partner", "file_name", "state", "row_count", "uploaded_by", "created_at")
    list_filter = ("partner", "state")
    list_select_related = ("partner", "uploaded_by")
    search_fields = ("file_name", "sha256")
    exclude = ("content",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def get_readonly_fields(self, request, obj=None):
        return [name for name in super().get_readonly_fields(request, obj) if name != "content"]


@admin.register(SettlementLine)
class SettlementLineAdmin(ViewOnlyModelAdmin):
    list_display = ("settlement_import", "line_number", "category", "partner_booking_id", "amount", "currency")
    list_filter = ("category",)
    list_select_related = ("settlement_import__partner",)
    search_fields = ("partner_booking_id",)
    raw_id_fields = ("booking", "settlement_import")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("settlement_import__content")
