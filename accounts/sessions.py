"""A signed-in session ends when idle too long or when its user signs out everywhere.

Django's database sessions cannot be listed per user, so each session remembers the user's
``Profile.session_generation`` at sign-in; raising that number ends every older session.
"""

import time

from django.conf import settings
from django.contrib.auth import logout, user_logged_in
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver

from accounts import profiles
from accounts.models import Profile

LAST_ACTIVITY_KEY = "portal_last_activity"
GENERATION_KEY = "portal_session_generation"
# The last activity is rewritten at most once a minute, not on every request.
ACTIVITY_RESOLUTION_SECONDS = 60


def session_generation(user) -> int:
    return profiles.profile_settings(user).session_generation


def sign_out_everywhere(user) -> None:
    """End every session of ``user``, on every device, the caller's included."""
    with transaction.atomic():
        profile, _created = Profile.objects.get_or_create(user=user)
        Profile.objects.filter(pk=profile.pk).update(session_generation=F("session_generation") + 1)
    profiles.forget(user)


@receiver(user_logged_in, dispatch_uid="accounts.sessions.stamp_session")
def stamp_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    profiles.forget(user)  # the user object may outlive a request (a test's, a shell's): read afresh
    request.session[GENERATION_KEY] = session_generation(user)
    request.session[LAST_ACTIVITY_KEY] = int(time.time())


def _still_valid(request) -> bool:
    session = request.session
    now = int(time.time())
    last_activity = session.get(LAST_ACTIVITY_KEY)
    if last_activity is not None and now - last_activity > settings.SESSION_IDLE_TIMEOUT_SECONDS:
        return False
    if session.get(GENERATION_KEY, 0) != session_generation(request.user):
        return False
    if last_activity is None or now - last_activity >= ACTIVITY_RESOLUTION_SECONDS:
        session[LAST_ACTIVITY_KEY] = now
    return True


class SessionFreshnessMiddleware:
    """Signs out a session idle longer than ``SESSION_IDLE_TIMEOUT_SECONDS`` or older than its
    user's last "sign out everywhere"; LoginRequiredMiddleware then sends it to the login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not _still_valid(request):
            logout(request)
        return self.get_response(request)
