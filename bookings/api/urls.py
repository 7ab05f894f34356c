"""``/api/``: DRF views authenticate themselves (token or session) and are exempt from the
site-wide ``LoginRequiredMiddleware`` (DRF marks them ``login_required = False``), so an
anonymous call gets a JSON 401. The docs page is a page: anonymous visitors go to the login."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from bookings.api import views
from bookings.api.permissions import AUTHENTICATION_CLASSES, CanReadBookings

app_name = "api"


urlpatterns = [
    path("bookings/", views.BookingListAPI.as_view(), name="booking-list"),
    path("bookings/<int:pk>/", views.BookingDetailAPI.as_view(), name="booking-detail"),
    path("settlements/", views.SettlementImportListAPI.as_view(), name="settlement-list"),
    path("settlements/<int:pk>/", views.SettlementImportDetailAPI.as_view(), name="settlement-detail"),
    path("settlements/<int:pk>/lines/", views.SettlementLinesAPI.as_view(), name="settlement-lines"),
    path("settlements/<int:pk>/confirm/", views.SettlementConfirmAPI.as_view(), name="settlement-confirm"),
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=AUTHENTICATION_CLASSES, permission_classes=[CanReadBookings]),
        name="schema",
    ),
    # The split view serves its start-up script as a separate file (?script), so the page
    # runs under the site's CSP with no inline script; the template drops the inline style.
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema",
                template_name="bookings/api/swagger_ui.html",
                permission_classes=[CanReadBookings],
            )
        ),
        name="docs",
    ),
]
