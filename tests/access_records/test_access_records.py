"""Who saw what: every page, export and API answer showing a patient's data writes one record,
and the table refuses any change."""

import pytest
from django.db import ProgrammingError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from access_records.models import AccessRecord
from access_records.services import mask_search_term, record_access
from patients.models import Patient
from tests.factories import make_booking

Kind = AccessRecord.Kind


@pytest.fixture
def patient(db):
    return Patient.objects.create(full_name="Layla Haddad", mobile="+966501234567")


@pytest.fixture
def booking(patient):
    return make_booking(patient=patient, payment_url="https://pay.example.com/PBT1")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def clients(operations_user, finance_user):
    return {"ops": signed_in(operations_user), "fin": signed_in(finance_user), "api": api_client(finance_user)}


PAGES = [
    # (client, url name, takes what, kind)
    ("ops", "bookings:detail", "booking", Kind.BOOKING_RECORD),
    ("fin", "bookings:detail", "booking", Kind.BOOKING_RECORD),
    ("ops", "bookings:status", "booking", Kind.BOOKING_STATUS),
    ("ops", "bookings:handoff-slip", "booking", Kind.HANDOFF_SLIP),
    ("api", "api:booking-detail", "booking", Kind.API_BOOKING),
    ("ops", "patients:detail", "patient", Kind.PATIENT),
]


@pytest.mark.parametrize(("who", "name", "takes", "kind"), PAGES)
def test_each_page_showing_a_patient_writes_one_record(clients, booking, patient, who, name, takes, kind):
    shown = booking if takes == "booking" else patient
    response = clients[who].get(reverse(name, args=[shown.pk]), HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert record.kind == kind
    assert record.user.username == {"ops": "ops", "fin": "fin", "api": "fin"}[who]
    assert record.patient_id == patient.pk
    assert record.booking_id == (booking.pk if takes == "booking" else None)
    assert record.request_id == "req-42"


@pytest.mark.parametrize(
    ("who", "name", "kind"),
    [("fin", "bookings:export", Kind.BOOKING_EXPORT), ("api", "api:booking-list", Kind.API_BOOKING_LIST)],
)
def test_an_export_or_list_records_its_filter_and_row_count(clients, booking, operations_user, who, name, kind):
    make_booking(patient_name="Someone Else")
    response = clients[who].get(reverse(name), {"q": booking.reference})
    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert (record.kind, record.filters, record.row_count) == (kind, {"q": [booking.reference]}, 1)


def test_a_refused_page_writes_no_record(finance_user, booking):
    assert signed_in(finance_user).get(reverse("bookings:status", args=[booking.pk])).status_code == 403
    assert not AccessRecord.objects.exists()


def test_the_table_refuses_updates_and_deletes(rf, operations_user, booking):
    request = rf.get("/")
    request.user = operations_user
    record = record_access(request, Kind.BOOKING_RECORD, booking=booking)
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        AccessRecord.objects.filter(pk=record.pk).update(kind=Kind.PATIENT)
    with pytest.raises(ProgrammingError, match="Cannot update or delete"), transaction.atomic():
        record.delete()
    with pytest.raises(ProgrammingError), transaction.atomic():
        record.row_count = 7
        record.save()
    assert AccessRecord.objects.get().kind == Kind.BOOKING_RECORD


def test_admins_search_records_read_only(superuser, partner_admin_user, operations_user, booking, rf):
    request = rf.get("/")
    request.user = operations_user
    request.request_id = "abc123"
    record_access(request, Kind.BOOKING_RECORD, booking=booking)
    admin = signed_in(superuser)
    url = reverse("admin:access_records_accessrecord_changelist")
    for term, found in [("ops", 1), (str(booking.pk), 1), ("abc123", 1), ("nobody", 0)]:
        response = admin.get(url, {"q": term})
        assert response.status_code == 200
        assert response.context["cl"].result_count == found
    record = AccessRecord.objects.get()
    change = admin.get(reverse("admin:access_records_accessrecord_change", args=[record.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    assert admin.get(reverse("admin:access_records_accessrecord_add")).status_code == 403
    assert admin.get(reverse("admin:access_records_accessrecord_delete", args=[record.pk])).status_code == 403
    assert signed_in(partner_admin_user).get(url).status_code == 403


def test_the_table_refuses_truncate(rf, operations_user, booking):
    request = rf.get("/")
    request.user = operations_user
    record_access(request, Kind.BOOKING_RECORD, booking=booking)
    with pytest.raises(ProgrammingError, match="Cannot truncate"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the insert's foreign key check, done now
        cursor.execute("TRUNCATE access_records_accessrecord")
    assert AccessRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("BK-000042", "BK-000042"),
        ("SNR-BOOKED-1", "SNR-BOOKED-1"),
        ("layla@example.org", "l***@example.org"),
        ("+966 50 123 4567", "+9665******67"),
        ("Layla Haddad", "L*** H***"),
    ],
)
def test_a_search_term_is_kept_masked_unless_it_is_an_id(typed, kept):
    assert mask_search_term(typed) == kept


def test_admins_filter_records_by_user_and_date(superuser, operations_user, finance_user, booking, rf):
    for user in (operations_user, finance_user):
        request = rf.get("/")
        request.user = user
        record_access(request, Kind.BOOKING_RECORD, booking=booking)
    url = reverse("admin:access_records_accessrecord_changelist")
    response = signed_in(superuser).get(url, {"user__id__exact": finance_user.pk})
    assert response.context["cl"].result_count == 1
    # The admin's date filter reads days in the portal's time zone, not in UTC.
    today = timezone.localtime(AccessRecord.objects.first().created_at)
    by_day = {"created_at__year": today.year, "created_at__month": today.month, "created_at__day": today.day}
    assert signed_in(superuser).get(url, by_day).context["cl"].result_count == 2
