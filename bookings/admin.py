from django.contrib import admin

from bookings.models import Booking, BookingEvent


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
