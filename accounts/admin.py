from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Profile
from accounts.second_factor import reset_second_factor
from accounts.sessions import sign_out_everywhere


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ["language", "session_generation"]
    readonly_fields = ["session_generation"]


admin.site.unregister(get_user_model())
# django-otp's device admins show the authenticator keys and recovery codes: devices are reset
# from the user list instead.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(get_user_model())
class PortalUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, ProfileInline]
    actions = ["sign_out_everywhere", "reset_two_factor"]

    @admin.action(description=_("Sign out everywhere"), permissions=["change"])
    def sign_out_everywhere(self, request, queryset):
        users = list(queryset)
        for user in users:
            sign_out_everywhere(user)
        message = ngettext(
            "%(count)d user signed out on every device.", "%(count)d users signed out on every device.", len(users)
        )
        self.message_user(request, message % {"count": len(users)})

    @admin.action(description=_("Reset two-factor sign-in"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        users = list(queryset)
        for user in users:
            reset_second_factor(user, by=request.user)
        message = ngettext(
            "%(count)d user signed out; they set up two-factor sign-in again at their next login.",
            "%(count)d users signed out; they set up two-factor sign-in again at their next login.",
            len(users),
        )
        self.message_user(request, message % {"count": len(users)})
