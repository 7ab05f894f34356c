from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Profile
from accounts.sessions import sign_out_everywhere


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ["language", "session_generation"]
    readonly_fields = ["session_generation"]


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PortalUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, ProfileInline]
    actions = ["sign_out_everywhere"]

    @admin.action(description=_("Sign out everywhere"), permissions=["change"])
    def sign_out_everywhere(self, request, queryset):
        users = list(queryset)
        for user in users:
            sign_out_everywhere(user)
        message = ngettext(
            "%(count)d user signed out on every device.", "%(count)d users signed out on every device.", len(users)
        )
        self.message_user(request, message % {"count": len(users)})
