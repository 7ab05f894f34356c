from django.contrib import admin
from django.urls import include, path

from accounts.forms import AdminLoginForm

admin.site.site_header = "Partner booking portal"
admin.site.site_title = "Partner booking portal"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", include("monitoring.urls")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("bookings.api.urls")),
    path("ui/", include("ui.urls")),
    path("", include("bookings.urls")),
]
