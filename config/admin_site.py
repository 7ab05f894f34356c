"""The portal's admin site: every model's list answers an impossible date as an invalid lookup.

The admin applies any lookup on a model field from the query string. A year past 9999
(``created_at__year=99999``), a year too large for a C long, or the date hierarchy's next
year or day past 9999-12-31 raised ``ValueError``/``OverflowError`` while the list query was
built: a 500. The site gives every registered admin, ours and the installed apps', a list
that turns those into ``IncorrectLookupParameters``, which the admin answers by reloading the
list with ``?e=1``.

The site is behind the same second factor as the portal: a user who has not given a code this
session has no permission here, and the admin's login is the portal's.
"""

import functools

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

IMPOSSIBLE_DATE = (ValueError, OverflowError)


class GuardedChangeListMixin:
    def get_queryset(self, request, exclude_parameters=None):
        try:
            return super().get_queryset(request, exclude_parameters)
        except IMPOSSIBLE_DATE as error:
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        try:
            super().get_results(request)
        except IMPOSSIBLE_DATE as error:
            raise IncorrectLookupParameters(error) from error


@functools.cache
def guarded(changelist_class: type) -> type:
    return type(f"Guarded{changelist_class.__name__}", (GuardedChangeListMixin, changelist_class), {})


class GuardedListAdminMixin:
    def get_changelist(self, request, **kwargs):
        return guarded(super().get_changelist(request, **kwargs))


class PortalAdminSite(admin.AdminSite):
    # As django-two-factor-auth's AdminSiteOTPRequiredMixin, which cannot be imported while the
    # apps load (this module names the admin's app config).
    def has_permission(self, request):
        return super().has_permission(request) and getattr(request.user, "is_verified", lambda: False)()

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        if request.method == "GET" and self.has_permission(request):
            return redirect("admin:index")
        # A signed-in user without access (operations, finance) gets a 403, not the login again.
        if request.user.is_authenticated:
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index")
        from django.contrib.auth.views import redirect_to_login  # imports models: not while apps load

        return redirect_to_login(next_url)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, GuardedListAdminMixin):
            attrs = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
            admin_class = type(admin_class.__name__, (GuardedListAdminMixin, admin_class), attrs)
        super().register(model_or_iterable, admin_class, **options)


class PortalAdminConfig(AdminConfig):
    default_site = "config.admin_site.PortalAdminSite"
