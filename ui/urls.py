from django.urls import path

from ui import views

app_name = "ui"

urlpatterns = [
    path("style-guide/", views.style_guide, name="style-guide"),
]
