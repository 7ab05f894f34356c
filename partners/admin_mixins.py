from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class GuardedChangeList(ChangeList):
    """A changelist whose out-of-range dates in the query string are an invalid lookup, not a 500.

    The admin applies any lookup on a model field from the query string. A year past 9999
    (``created_at__year=99999``), or the date hierarchy's next year or day past 9999-12-31,
    raises ``ValueError``/``OverflowError`` while the query is built; the admin answers an
    invalid lookup by reloading the list without it.
    """

    def get_queryset(self, request, exclude_parameters=None):
        try:
            return super().get_queryset(request, exclude_parameters)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            super().get_results(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class PortalModelAdmin(admin.ModelAdmin):
    """The base of the portal's admins."""

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList


class ReadOnlyModelAdmin(PortalModelAdmin):
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
