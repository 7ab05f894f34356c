from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("bookings/<int:pk>/send-link/", views.send_link, name="send-link"),
]
