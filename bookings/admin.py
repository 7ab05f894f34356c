from django.contrib import admin

from bookings.models import Booking, BookingEvent, SettlementImport, SettlementLine


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "actor", "reason", "upstream_call")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read-only view of bookings: every change goes through the portal's booking services."""

    list_display = ("reference", "partner", "status", "patient_name", "amount", "currency", "created_at", "created_by")
    list_filter = ("partner", "status", "created_at")
    list_select_related = ("partner", "created_by")
    search_fields = ("reference", "upstream_booking_id", "patient_name", "email", "mobile")
    date_hierarchy = "created_at"
    inlines = [BookingEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BookingEvent)
class BookingEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "booking", "from_status", "to_status", "actor")
    list_select_related = ("booking", "actor")
    list_filter = ("to_status",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SettlementImport)
class SettlementImportAdmin(admin.ModelAdmin):
    """Read-only: imports are made and confirmed on the settlement pages."""

    list_display = ("id", "partner", "file_name", "state", "row_count", "uploaded_by", "created_at")
    list_filter = ("partner", "state")
    list_select_related = ("partner", "uploaded_by")
    search_fields = ("file_name", "sha256")
    exclude = ("content",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name != "content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SettlementLine)
class SettlementLineAdmin(admin.ModelAdmin):
    list_display = ("settlement_import", "line_number", "category", "partner_booking_id", "amount", "currency")
    list_filter = ("category",)
    list_select_related = ("settlement_import__partner",)
    search_fields = ("partner_booking_id",)
    raw_id_fields = ("booking", "settlement_import")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("settlement_import__content")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
