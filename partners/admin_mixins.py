from django.contrib import admin


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """An admin that shows rows and never changes them: the portal's services own those writes."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyModelAdmin(ReadOnlyModelAdmin):
    """Read-only, and no change form submit at all."""

    def has_change_permission(self, request, obj=None):
        return False
