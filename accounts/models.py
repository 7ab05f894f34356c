from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """What a staff member chose for themselves; created the first time they choose something."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The portal's language for this person; empty: the browser's language."),
    )
    session_generation = models.PositiveIntegerField(
        _("session generation"),
        default=0,
        help_text=_("Raised by “sign out everywhere”: a session signed in under an older value is ended."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)
