from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.urls import two_factor_urlpatterns

admin.site.site_header = _("Partner booking portal")
admin.site.site_title = _("Partner booking portal")

urlpatterns = [
    path("", include("monitoring.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/two-factor/", include(two_factor_urlpatterns)),
    path("admin/", admin.site.urls),
    path("api/", include("bookings.api.urls")),
    path("ui/", include("ui.urls")),
    path("patients/", include("patients.urls")),
    path("messages/", include("messaging.urls")),
    path("patient-requests/", include("privacy.urls")),
    path("", include("bookings.urls")),
]
