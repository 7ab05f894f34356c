from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.find, name="find"),
    path("export.json", views.export_json, name="export-json"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("erase/", views.erase, name="erase"),
]
