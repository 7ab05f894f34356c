"""Two-factor sign-in: who needs a second factor, the gate every page passes, and the admin's reset.

Admins (staff, superusers), partner admins and finance hold partner keys or export bookings,
so they sign in with a password and a code from an authenticator app (TOTP) or a recovery
code; operations staff do too when ``TWO_FACTOR_REQUIRED_FOR_OPERATIONS`` is on. The login
itself (password step, then code step) is django-two-factor-auth's wizard; a session is
verified once ``django_otp.login`` stored the device that gave the code.
"""

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_noop
from django_otp import devices_for_user
from rest_framework.views import APIView
from two_factor.utils import default_device

from accounts import roles
from accounts.sessions import sign_out_everywhere

# Namespaces a signed-in user reaches before the second factor: login, logout, language, set-up.
OPEN_NAMESPACES = frozenset({"accounts", "two_factor"})
# The admin's history shows this translated ("Changed two-factor sign-in (devices reset).").
RESET_CHANGE = [{"changed": {"fields": [gettext_noop("two-factor sign-in (devices reset)")]}}]


def second_factor_required(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or roles.has_role(user, roles.FINANCE, roles.PARTNER_ADMINS):
        return True
    return settings.TWO_FACTOR_REQUIRED_FOR_OPERATIONS and roles.has_role(user, roles.OPERATIONS)


def is_verified(user) -> bool:
    """True once this session gave a code (``OTPMiddleware`` sets ``is_verified``)."""
    return bool(getattr(user, "is_verified", None) and user.is_verified())


class SecondFactorRequiredMiddleware:
    """Every page of a user who needs a second factor and has not given one this session sends
    them to the set-up (no device yet) or back to the login's code step (a device exists); the
    API answers 403. Runs after ``LoginRequiredMiddleware`` and django-otp's ``OTPMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not second_factor_required(user) or is_verified(user):
            return None
        match = request.resolver_match
        if match is not None and match.namespace in OPEN_NAMESPACES:
            return None
        view_class = getattr(view_func, "cls", None)
        if isinstance(view_class, type) and issubclass(view_class, APIView):
            raise PermissionDenied
        if default_device(user) is None:
            return redirect("two_factor:setup")
        logout(request)
        return redirect_to_login(request.get_full_path())


def reset_second_factor(user, *, by) -> int:
    """Remove every device of ``user`` (authenticator and recovery codes) and end their sessions:
    they set up again at their next login. Recorded in the admin's history of the user, by ``by``."""
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        sign_out_everywhere(user)
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[user],
            action_flag=CHANGE,
            change_message=RESET_CHANGE,
            single_object=True,
        )
    return len(devices)
