from django.urls import path

from patients import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("add/", views.patient_add, name="add"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("from-booking/<int:pk>/save/", views.save_from_booking, name="save-from-booking"),
    path("from-booking/<int:pk>/link/", views.link_to_booking, name="link-to-booking"),
]
