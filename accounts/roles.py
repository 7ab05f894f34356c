"""The portal's roles. Each is a Django group created by a data migration with its permissions.

A view states the role it needs with ``RoleRequiredMixin``/``role_required``; superusers pass
every check. Membership is read from ``user.groups`` once per request and cached on the user.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

OPERATIONS = "Operations"
FINANCE = "Finance"
PARTNER_ADMINS = "Partner admins"
ALL_ROLES = (OPERATIONS, FINANCE, PARTNER_ADMINS)

# Model permissions granted to each group (app_label.codename).
ROLE_PERMISSIONS = {
    OPERATIONS: [
        "bookings.view_booking",
        "bookings.add_booking",
        "bookings.change_booking",
        "bookings.book_partner_service",
        "bookings.view_bookingevent",
        "partners.view_upstreamcall",
    ],
    FINANCE: [
        "bookings.view_booking",
        "bookings.view_bookingevent",
        "bookings.export_bookings",
        "bookings.reconcile_bookings",
        "partners.view_upstreamcall",
    ],
    PARTNER_ADMINS: [
        "partners.view_partner",
        "partners.change_partner",
        "partners.view_credential",
        "partners.add_credential",
        "partners.change_credential",
        "partners.view_upstreamcall",
    ],
}


def user_roles(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_portal_roles"):
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.update(ALL_ROLES)
        user._portal_roles = frozenset(names)
    return user._portal_roles


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user).intersection(roles))


def role_required(*roles: str):
    """View decorator: 403 unless the (logged-in) user holds one of ``roles``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


class RoleRequiredMixin:
    required_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not has_role(request.user, *self.required_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
