from django.urls import path

from bookings.views import dashboard, detail, enrollment, records, settlements, status, video

app_name = "bookings"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("book/", dashboard.start, name="start"),
    path("bookings/", records.booking_list, name="list"),
    path("bookings/export.csv", records.booking_export, name="export"),
    path("bookings/<int:pk>/", detail.booking_detail, name="detail"),
    path("bookings/<int:pk>/actions/retry/", detail.detail_retry, name="detail-retry"),
    path("bookings/<int:pk>/actions/cancel/", detail.detail_cancel, name="detail-cancel"),
    path("bookings/<int:pk>/actions/resolve/", detail.detail_resolve, name="detail-resolve"),
    path("bookings/<int:pk>/actions/reconcile/", detail.detail_mark_reconciled, name="detail-reconcile"),
    path("settlements/", settlements.settlement_list, name="settlements"),
    path("settlements/template.csv", settlements.settlement_template, name="settlement-template"),
    path("settlements/<int:pk>/", settlements.settlement_report, name="settlement"),
    path("settlements/<int:pk>/confirm/", settlements.settlement_confirm, name="settlement-confirm"),
    path("settlements/<int:pk>/file/", settlements.settlement_file, name="settlement-file"),
    path("bookings/<int:pk>/status/", status.status_page, name="status"),
    path("bookings/<int:pk>/status/panel/", status.status_panel, name="status-panel"),
    path("bookings/<int:pk>/qr.svg", status.handoff_qr, name="handoff-qr"),
    path("bookings/<int:pk>/slip/", status.handoff_slip, name="handoff-slip"),
    path("bookings/<int:pk>/retry/", status.retry, name="retry"),
    path("bookings/<int:pk>/resolve/", status.resolve_verification, name="resolve"),
    path("bookings/<int:pk>/cancel/", status.cancel, name="cancel"),
    path("bookings/<int:pk>/resume/", status.resume, name="resume"),
    path("bookings/video/", video.start, name="video-start"),
    path("bookings/video/<int:pk>/speciality/", video.speciality, name="video-speciality"),
    path("bookings/video/<int:pk>/doctor/", video.doctor, name="video-doctor"),
    path("bookings/video/<int:pk>/slot/", video.slot, name="video-slot"),
    path("bookings/video/<int:pk>/slot/slots/", video.slots, name="video-slots"),
    path("bookings/video/<int:pk>/patient/", video.patient, name="video-patient"),
    path("bookings/video/<int:pk>/confirm/", video.confirm, name="video-confirm"),
    path("bookings/video/<int:pk>/refresh/", video.refresh, name="video-refresh"),
    path("bookings/enrollment/", enrollment.enrollment_start, name="enrollment-start"),
    path("bookings/enrollment/history/", enrollment.enrollment_history, name="enrollment-history"),
    path("bookings/enrollment/<int:pk>/", enrollment.enrollment_edit, name="enrollment-edit"),
    path("bookings/enrollment/<int:pk>/confirm/", enrollment.enrollment_confirm, name="enrollment-confirm"),
]
