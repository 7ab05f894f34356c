"""A signed-in user's profile settings, read once per request by the middlewares that need them."""

from dataclasses import dataclass

from accounts.models import Profile

CACHE_ATTRIBUTE = "_portal_profile"


@dataclass(frozen=True)
class ProfileSettings:
    language: str = ""
    session_generation: int = 0


def profile_settings(user) -> ProfileSettings:
    """The user's saved language and session generation, from one query cached on ``user``."""
    if not hasattr(user, CACHE_ATTRIBUTE):
        row = Profile.objects.filter(user=user).values("language", "session_generation").first()
        setattr(user, CACHE_ATTRIBUTE, ProfileSettings(**row) if row else ProfileSettings())
    return getattr(user, CACHE_ATTRIBUTE)


def forget(user) -> None:
    """Drop the cached settings after changing them, so the next read sees the change."""
    if hasattr(user, CACHE_ATTRIBUTE):
        delattr(user, CACHE_ATTRIBUTE)
