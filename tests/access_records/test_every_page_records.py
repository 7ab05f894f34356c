"""Every URL that shows a patient's data writes an access record; every other URL says why not.

The URLs come from the URLconf (``tests.security.sitemap.all_urls``): a URL added to the
project is neither in ``RECORDED`` nor in ``NO_PATIENT_DATA`` and fails
``test_every_url_is_classified`` until someone decides which it is. The Django admin's pages
are classified by model: the admin of a model of the portal's apps must be named here; the
admin of another installed app (users, tokens, login attempts) holds staff data, not patients'.
"""

from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.urls import reverse

from access_records.models import AccessRecord
from bookings.models import Booking
from messaging.models import Message
from patients.models import Patient
from tests.security.sitemap import all_urls, client_for, objects_by_kind, reverse_with

Kind = AccessRecord.Kind
PORTAL_APPS = ("access_records", "accounts", "bookings", "messaging", "partners", "patients")


@dataclass(frozen=True)
class Visit:
    kind: str
    persona: str = "operations"
    obj: str = "booked"  # which of ``site_objects`` fills ``pk`` / ``object_id``
    names: str = ""  # "booking" or "patient": the id the record must hold; "" for a list
    method: str = "get"
    query: dict = field(default_factory=dict)


MATRIX_EMAIL = {"email": "matrix@example.org"}
RECORDED: dict[str, Visit] = {
    "bookings:dashboard": Visit(Kind.DASHBOARD),
    "bookings:list": Visit(Kind.BOOKING_LIST, "finance"),
    "bookings:export": Visit(Kind.BOOKING_EXPORT, "finance"),
    "bookings:detail": Visit(Kind.BOOKING_RECORD, "finance", names="booking"),
    # An action whose form is refused shows the record again, with the errors.
    "bookings:detail-resolve": Visit(Kind.BOOKING_RECORD, names="booking", method="post"),
    "bookings:detail-reconcile": Visit(Kind.BOOKING_RECORD, "finance", names="booking", method="post"),
    "bookings:status": Visit(Kind.BOOKING_STATUS, names="booking"),
    "bookings:handoff-slip": Visit(Kind.HANDOFF_SLIP, names="booking"),
    "bookings:cancel": Visit(Kind.CANCEL_CONFIRM, obj="video", names="booking"),
    # A hand-off form refused shows the status page again, with the errors.
    "messaging:send-link": Visit(Kind.BOOKING_STATUS, names="booking", method="post"),
    "patients:save-from-booking": Visit(Kind.BOOKING_STATUS, names="booking", method="post"),
    "bookings:video-start": Visit(Kind.FLOW_START),
    "bookings:video-patient": Visit(Kind.FLOW_STEP, obj="video", names="booking"),
    "bookings:video-confirm": Visit(Kind.FLOW_STEP, obj="video", names="booking"),
    "bookings:vaccination-start": Visit(Kind.FLOW_START),
    "bookings:vaccination-where": Visit(Kind.FLOW_STEP, obj="vaccination", names="booking"),
    "bookings:vaccination-child": Visit(Kind.FLOW_STEP, obj="vaccination", names="booking"),
    "bookings:vaccination-confirm": Visit(Kind.FLOW_STEP, obj="vaccination", names="booking"),
    "bookings:enrollment-start": Visit(Kind.FLOW_START, names="patient", query={"patient": "PATIENT"}),
    "bookings:enrollment-history": Visit(Kind.ENROLLMENT_HISTORY),
    "bookings:enrollment-edit": Visit(Kind.FLOW_STEP, obj="enrollment", names="booking"),
    "bookings:enrollment-confirm": Visit(Kind.FLOW_STEP, obj="enrollment", names="booking"),
    "patients:list": Visit(Kind.PATIENT_SEARCH, query={"q": "Matrix"}),
    "patients:detail": Visit(Kind.PATIENT, obj="patient", names="patient"),
    "patients:edit": Visit(Kind.PATIENT_EDIT, obj="patient", names="patient"),
    "api:booking-list": Visit(Kind.API_BOOKING_LIST, "finance"),
    "api:booking-detail": Visit(Kind.API_BOOKING, "finance", names="booking"),
    "privacy:find": Visit(Kind.REQUEST_FIND, "superuser", names="patient", method="post", query=MATRIX_EMAIL),
    "privacy:export-json": Visit(Kind.REQUEST_EXPORT_JSON, "superuser", method="post", query=MATRIX_EMAIL),
    "privacy:export-csv": Visit(Kind.REQUEST_EXPORT_CSV, "superuser", method="post", query=MATRIX_EMAIL),
    # The confirmation shows what was found; the erasure itself: tests/privacy.
    "privacy:erase": Visit(Kind.REQUEST_FIND, "superuser", method="post", query=MATRIX_EMAIL),
    "admin:bookings_booking_changelist": Visit(Kind.ADMIN_BOOKING_LIST, "superuser"),
    "admin:bookings_booking_change": Visit(Kind.ADMIN_BOOKING, "superuser", names="booking"),
    "admin:patients_patient_changelist": Visit(Kind.ADMIN_PATIENT_LIST, "superuser"),
    "admin:patients_patient_change": Visit(Kind.ADMIN_PATIENT, "superuser", obj="patient", names="patient"),
    "admin:messaging_message_changelist": Visit(Kind.ADMIN_MESSAGE_LIST, "superuser"),
    "admin:messaging_message_change": Visit(Kind.ADMIN_MESSAGE, "superuser", obj="message", names="booking"),
}

NO_PATIENT_DATA: dict[str, str] = {
    "bookings:start": "the partners one can book",
    "bookings:partner-health": "partner calls counted by outcome",
    "bookings:detail-retry": "an action: redirects to the record, which writes its own",
    "bookings:detail-cancel": "an action: redirects to the record",
    "bookings:settlements": "settlement files: partner booking ids and amounts",
    "bookings:settlement-template": "an empty CSV template",
    "bookings:settlement": "a settlement report: partner booking ids, references and amounts",
    "bookings:settlement-confirm": "an action on a settlement",
    "bookings:settlement-recheck": "an action on a settlement",
    "bookings:settlement-export": "the settlement report as CSV: ids and amounts",
    "bookings:settlement-line": "one settlement line: ids and amounts",
    "bookings:settlement-file": "the partner's settlement file: its columns are ids, amounts and dates",
    "bookings:status-panel": "the status alone, polled every 2 s by the status page, which writes the record",
    "bookings:handoff-qr": "a QR code of the payment link",
    "bookings:resume": "a redirect to the step or status page",
    "bookings:video-speciality": "the partner's catalogue; the page names the booking by reference",
    "bookings:video-doctor": "the partner's catalogue",
    "bookings:video-slot": "the partner's slots",
    "bookings:video-slots": "the partner's slots (htmx fragment)",
    "bookings:video-refresh": "an action: reloads the catalogue",
    "bookings:vaccination-services": "the partner's catalogue",
    "bookings:vaccination-details": "what the chosen services include",
    "bookings:vaccination-slot": "the partner's slots",
    "bookings:vaccination-slots": "the partner's slots (htmx fragment)",
    "bookings:vaccination-refresh": "an action: reloads the catalogue",
    "patients:add": "an empty form; saving it redirects to the patient's page",
    "messaging:latest": "the latest message's status and masked recipient, polled by the hand-off page (which writes the record)",
    "messaging:receipt-sms": "the provider's delivery receipts (a webhook)",
    "messaging:receipt-whatsapp": "the provider's delivery receipts (a webhook)",
    "patients:link-to-booking": "an action: redirects to the page it came from",
    "bookings:change-selection": "an action: redirects to the flow step",
    "ui:style-guide": "made-up examples",
    "monitoring:healthz": "a probe",
    "monitoring:readyz": "a probe",
    "monitoring:metrics": "counters without labels naming a patient",
    "api:settlement-list": "settlement files",
    "api:settlement-detail": "a settlement file's summary",
    "api:settlement-lines": "settlement lines: ids and amounts",
    "api:settlement-confirm": "an action on a settlement",
    "api:schema": "the API's description",
    "api:docs": "the API's description",
}

# Admin pages of our models that show no patient, by model (app_label.model_name).
ADMIN_MODELS_WITHOUT_PATIENT_DATA: dict[str, str] = {
    "access_records.accessrecord": "ids, kinds and masked filters",
    "accounts.user": "staff accounts",
    "bookings.bookingevent": "status changes; the booking is named by reference",
    "bookings.settlementimport": "settlement files",
    "bookings.settlementline": "settlement lines",
    "partners.partner": "partners",
    "partners.credential": "partner keys, masked",
    "partners.upstreamcall": "partner calls, their bodies stored with patient identifiers masked",
    "partners.speciality": "the partner's catalogue",
    "partners.doctor": "the partner's catalogue",
    "partners.vaccinationservice": "the partner's catalogue",
}
# Of a patient model's admin pages, only the list and the record show data: add and delete are
# refused, the history lists staff's admin edits (there are none: the admin is read-only).
ADMIN_VIEWS_WITHOUT_DATA = ("add", "delete", "history")


def admin_model_of(name: str):
    for model in admin.site._registry:
        if name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def classification(name: str) -> str | None:
    """Why ``name`` is or is not recorded; None when nobody said."""
    if name in RECORDED:
        return "recorded"
    if name in NO_PATIENT_DATA:
        return NO_PATIENT_DATA[name]
    if name.startswith(("accounts:", "two_factor:")):
        return "sign-in, its second factor and the user's own account"
    if not name.startswith("admin:"):
        return None
    model = admin_model_of(name)
    if model is None:
        return "the admin's own pages (index, login, password, app lists, scripts)"
    label = model._meta.label_lower
    if label in ADMIN_MODELS_WITHOUT_PATIENT_DATA:
        return ADMIN_MODELS_WITHOUT_PATIENT_DATA[label]
    if model._meta.app_label not in PORTAL_APPS:
        return "an installed app's admin: staff data"
    if name.rsplit("_", 1)[-1] in ADMIN_VIEWS_WITHOUT_DATA:
        return "add and delete are refused; the history lists admin edits"
    return None


def test_every_url_is_classified():
    unclassified = sorted(name for name in all_urls() if classification(name) is None)
    assert not unclassified, (
        "URLs nobody said whether they show patient data: add each to RECORDED (and make the view "
        f"write an access record) or to NO_PATIENT_DATA with the reason: {unclassified}"
    )


def test_the_lists_name_only_existing_urls():
    stale = sorted((set(RECORDED) | set(NO_PATIENT_DATA)) - set(all_urls()))
    assert not stale, f"entries for URLs that no longer exist: {stale}"


@pytest.fixture
def shown(site_objects, persona_users):
    """The site's objects with a patient on the bookings and a message, so every page has one to show."""
    patient = site_objects.patient
    Patient.objects.filter(pk=patient.pk).update(email="matrix@example.org")
    Booking.objects.filter(pk__in=[site_objects.booked.pk, site_objects.video.pk]).update(
        patient=patient, email="matrix@example.org"
    )
    site_objects.message = Message.objects.create(
        booking=site_objects.booked, channel="sms", recipient_masked="+9665******67", language="en"
    )
    return site_objects


def test_every_page_showing_patient_data_writes_one_record(shown, persona_users):
    objects = {**objects_by_kind(shown), "message": shown.message}
    urls = all_urls()
    problems = []
    for name, visit in sorted(RECORDED.items()):
        obj = objects[visit.obj]
        path = reverse_with(urls[name], pk=obj.pk)
        query = {key: shown.patient.pk if value == "PATIENT" else value for key, value in visit.query.items()}
        last = AccessRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
        client = client_for(persona_users[visit.persona])
        response = client.get(path, query) if visit.method == "get" else client.post(path, query)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        written = list(AccessRecord.objects.filter(id__gt=last))
        if response.status_code >= 500 or response.status_code in (401, 403, 404):
            problems.append(f"{name}: {response.status_code}")
        elif len(written) != 1:
            problems.append(f"{name}: {len(written)} records")
        else:
            record = written[0]
            expected_booking = obj.booking_id if isinstance(obj, Message) else obj.pk
            if record.kind != visit.kind or record.user != persona_users[visit.persona]:
                problems.append(f"{name}: {record.kind} by {record.user}")
            elif visit.names == "booking" and record.booking_id != expected_booking:
                problems.append(f"{name}: booking {record.booking_id}, expected {expected_booking}")
            elif visit.names == "patient" and record.patient_id != shown.patient.pk:
                problems.append(f"{name}: patient {record.patient_id}")
            elif not visit.names and record.row_count is None:
                problems.append(f"{name}: a list without its row count")
    assert not problems, problems


def test_a_list_page_writes_one_record_whatever_its_size(operations_user):
    from tests.factories import make_booking

    for number in range(30):
        make_booking(patient_name=f"Patient {number}")
    client = client_for(operations_user)
    response = client.get(reverse("bookings:list"), {"q": "Patient 1"})
    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert (record.kind, record.row_count) == (Kind.BOOKING_LIST, 11)
    assert record.filters == {"q": ["P*** 1***"]}
