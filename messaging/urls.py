from django.urls import path

from messaging import views, webhooks

app_name = "messaging"

urlpatterns = [
    path("bookings/<int:pk>/send-link/", views.send_link, name="send-link"),
    path("receipts/sms/", webhooks.receipt, {"channel": "sms"}, name="receipt-sms"),
    path("receipts/whatsapp/", webhooks.receipt, {"channel": "whatsapp"}, name="receipt-whatsapp"),
    path("bookings/<int:pk>/latest/", views.latest_message, name="latest"),
]
