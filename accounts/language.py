"""The portal's language for a request: the user's saved choice, else what LocaleMiddleware chose
(the language cookie of the menu, then Accept-Language, then ``LANGUAGE_CODE``)."""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from accounts import profiles
from accounts.models import Profile

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def portal_language(code: str | None) -> str:
    """One of ``settings.LANGUAGES`` for a language code ("es-mx" → "es"); ``LANGUAGE_CODE`` otherwise."""
    try:
        language = translation.get_supported_language_variant(code or "")
    except LookupError:
        return settings.LANGUAGE_CODE
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def saved_language(user) -> str:
    """The language ``user`` chose in the menu, or "" (anonymous, or never chose)."""
    if not user.is_authenticated:
        return ""
    return profiles.profile_settings(user).language


def save_language(user, language: str) -> None:
    """Remember ``language`` for ``user`` (one of ``settings.LANGUAGES``)."""
    if language not in LANGUAGE_CODES:
        raise ValueError(f"Not a portal language: {language!r}")
    with transaction.atomic():
        Profile.objects.update_or_create(user=user, defaults={"language": language})
    profiles.forget(user)


class UserLanguageMiddleware:
    """Activates the signed-in user's saved language; runs after LocaleMiddleware and the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = saved_language(request.user)
        if language and language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
