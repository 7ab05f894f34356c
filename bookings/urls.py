from django.urls import path

from bookings.views import dashboard

app_name = "bookings"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("book/", dashboard.start, name="start"),
    path("bookings/", dashboard.booking_list, name="list"),
]
