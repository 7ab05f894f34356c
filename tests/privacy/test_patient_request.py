"""A patient's request, end to end: find → export JSON and CSV → erase → nothing identifying
found, finance reading the same; every step in the access records; superusers only; no 500."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from access_records.models import AccessRecord
from bookings.models import Booking
from patients.models import Patient
from tests.privacy.dataset import add_booking, finance_view

pytestmark = pytest.mark.django_db
Kind = AccessRecord.Kind


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(superuser):
    return signed_in(superuser)


@pytest.fixture
def patient_bookings(db):
    """Two bookings of Layla (one filled from her directory entry, one typed with her email),
    one recent and one two years old, and someone else's booking."""
    layla = Patient.objects.create(full_name="Layla Haddad", email="Layla@Example.org", mobile="+966501234567")
    first = add_booking(1, days_old=3, with_appointment=True, patient=layla)
    second = add_booking(2, days_old=800, with_appointment=False)
    Booking.objects.filter(pk__in=[first.pk, second.pk]).update(email="layla@example.org")
    other = add_booking(3, days_old=3, with_appointment=True)
    return layla, [first, second], other


def test_end_to_end_find_export_erase(admin, superuser, patient_bookings):
    layla, bookings, other = patient_bookings
    references = {booking.reference for booking in bookings}
    query = {"email": "LAYLA@example.org"}

    found = admin.post(reverse("privacy:find"), query)
    assert found.status_code == 200
    data = found.context["data"]
    assert {booking.reference for booking in data.bookings} == references
    assert [patient.pk for patient in data.patients] == [layla.pk]
    assert (data.messages, data.partner_calls) == (2, 2)
    assert b"Layla Haddad 1" in found.content and other.reference.encode() not in found.content

    exported = admin.post(reverse("privacy:export-json"), query)
    assert exported.status_code == 200 and exported["Content-Disposition"].startswith("attachment;")
    document = json.loads(exported.content)
    assert {booking["reference"] for booking in document["bookings"]} == references
    assert document["patients"][0]["full_name"] == "Layla Haddad"
    assert all(booking["partner_calls"] and booking["messages"] for booking in document["bookings"])

    exported_csv = admin.post(reverse("privacy:export-csv"), query)
    assert exported_csv.status_code == 200 and exported_csv["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported_csv.content.decode("utf-8-sig"))))
    assert {row["reference"] for row in rows if row["record"] == "booking"} == references
    assert [row["name"] for row in rows if row["record"] == "patient"] == ["Layla Haddad"]

    confirm = admin.post(reverse("privacy:erase"), query)
    assert confirm.status_code == 200
    assert confirm.context["counted"].bookings == 2
    refused = admin.post(reverse("privacy:erase"), {**query, "step": "confirm"})  # the box not ticked
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    assert Booking.objects.filter(pseudonymised_at__isnull=False).count() == 0

    finance_before = finance_view()
    erased = admin.post(reverse("privacy:erase"), {**query, "step": "confirm", "confirm": "on"}, follow=True)
    assert erased.status_code == 200
    assert "Bookings pseudonymised: 2; directory entries removed: 1" in erased.content.decode()
    found_again = admin.post(reverse("privacy:find"), query)
    assert found_again.context["data"].is_empty
    assert b"Nothing identifying is held" in found_again.content
    assert finance_view() == finance_before
    assert not Patient.objects.filter(pk=layla.pk).exists()
    for booking in Booking.objects.filter(reference__in=references):
        assert (booking.patient_name, booking.email, booking.mobile, booking.patient_dob) == ("", "", "", None)
    assert Booking.objects.get(pk=other.pk).patient_name == "Layla Haddad 3"
    by_mobile = admin.post(reverse("privacy:find"), {"mobile": "0501234567"})
    assert by_mobile.context["data"].is_empty

    kinds = list(AccessRecord.objects.order_by("id").values_list("kind", "user_id", "row_count", "patient_id"))
    assert [kind for kind, *_ in kinds] == [
        Kind.REQUEST_FIND,
        Kind.REQUEST_EXPORT_JSON,
        Kind.REQUEST_EXPORT_CSV,
        Kind.REQUEST_FIND,  # the confirmation page
        Kind.REQUEST_FIND,  # refused: shown again
        Kind.REQUEST_ERASE,
        Kind.REQUEST_FIND,  # after the erasure, by email
        Kind.REQUEST_FIND,  # and by mobile
    ]
    assert kinds[5] == (Kind.REQUEST_ERASE, superuser.pk, 2, layla.pk)
    filters = json.dumps(list(AccessRecord.objects.values_list("filters", flat=True)))
    assert "layla" not in filters.lower() and "l***@example.org" in filters.lower()


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"email": "not-an-email"},
        {"mobile": "12"},
        {"mobile": "٠٥٠"},
        {"email": "a@b.c" * 80},
        {"email": "x\x00@example.org"},
        {"mobile": "0" * 5000},
        {"email": "", "mobile": ""},
        {"email": "' OR 1=1 --"},
    ],
)
@pytest.mark.parametrize("name", ["privacy:find", "privacy:export-json", "privacy:export-csv", "privacy:erase"])
def test_junk_is_answered_with_errors_next_to_the_fields(admin, name, query):
    response = admin.post(reverse(name), query)
    assert response.status_code == 400
    if not any("\x00" in value for value in query.values()):  # else refused by the site's NUL guard
        assert b'class="error"' in response.content or b"errors alert" in response.content
    assert admin.post(reverse("privacy:erase"), {**query, "step": "confirm", "confirm": "on"}).status_code == 400
    assert admin.get(reverse(name), query).status_code in (200 if name == "privacy:find" else 405, 400)


def test_the_form_keeps_what_was_typed_and_says_which_field_is_wrong(admin):
    response = admin.post(reverse("privacy:find"), {"email": "layla@", "mobile": "+966501234567"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="email_error"' in page.replace("id_email_error", "email_error")
    assert 'value="layla@"' in page


@pytest.mark.parametrize("persona", ["operations_user", "finance_user", "partner_admin_user"])
@pytest.mark.parametrize("name", ["privacy:find", "privacy:export-json", "privacy:export-csv", "privacy:erase"])
def test_only_superusers_reach_the_request_pages(request, persona, name, patient_bookings):
    user = request.getfixturevalue(persona)
    assert signed_in(user).post(reverse(name), {"email": "layla@example.org"}).status_code == 403
    assert Client().post(reverse(name), {"email": "layla@example.org"}).status_code == 302
    assert not AccessRecord.objects.exists()


def test_the_pages_read_in_arabic_right_to_left(admin, patient_bookings):
    admin.post(reverse("accounts:language"), {"language": "ar"})
    for name in ("privacy:find", "privacy:erase"):
        page = admin.post(reverse(name), {"email": "layla@example.org"}).content.decode()
        assert 'dir="rtl"' in page and 'lang="ar"' in page
        assert "A patient's request" not in page and "What changes" not in page


def test_reached_from_the_menu_and_the_admin(admin, operations_user):
    assert reverse("privacy:find").encode() in admin.get(reverse("bookings:dashboard")).content
    assert reverse("privacy:find").encode() in admin.get(reverse("admin:patients_patient_changelist")).content
    assert reverse("privacy:find").encode() not in signed_in(operations_user).get(reverse("bookings:dashboard")).content
