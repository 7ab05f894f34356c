"""Role permissions for the API, the same as the pages' ``role_required``."""

from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import BasePermission

from accounts import roles

# Token first: an anonymous request is answered 401 with ``WWW-Authenticate: Token``.
AUTHENTICATION_CLASSES = [TokenAuthentication, SessionAuthentication]


class HasPortalRole(BasePermission):
    required_roles: tuple[str, ...] = ()
    message = "Your role does not allow this."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) and roles.has_role(
            request.user, *self.required_roles
        )


class CanReadBookings(HasPortalRole):
    required_roles = (roles.OPERATIONS, roles.FINANCE)
    message = "Only operations and finance can read bookings."


class CanReconcile(HasPortalRole):
    required_roles = (roles.FINANCE,)
    message = "Only finance can work with settlement imports."
