"""A patient enrolled for the same service the same day: warn before the second call."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from bookings.services.drafts import booking_create_draft, booking_update_selection
from bookings.states import Status
from partners.models import Partner

pytestmark = pytest.mark.django_db

START = reverse("bookings:enrollment-start")
FORM = {
    "program_id": "1002",
    "sandicare_service": "nutrition",
    "email": "patient@example.org",
    "patient_dob": "1990-05-17",
}


def earlier_enrollment(user, *, status=Status.ENROLLED, sent_at=None, **fields):
    booking = booking_create_draft(partner_code=Partner.Code.SANDICARE, actor=user)
    values = {
        "program_id": "1002",
        "sandicare_service": "nutrition",
        "email": "patient@example.org",
        "patient_dob": "1990-05-17",
        **fields,
    }
    booking_update_selection(booking_id=booking.pk, actor=user, **values)
    Booking.objects.filter(pk=booking.pk).update(
        status=status,
        submitted_at=sent_at or timezone.now(),
        enrollment_url="https://care.sandicare.example/programs/1002/nutrition" if status == Status.ENROLLED else "",
    )
    return Booking.objects.get(pk=booking.pk)


def confirm_url(booking):
    return reverse("bookings:enrollment-confirm", args=[booking.pk])


def test_same_service_same_day_asks_before_sending(
    ops_client, operations_user, sandicare_credential, django_capture_on_commit_callbacks
):
    first = earlier_enrollment(operations_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = ops_client.post(START, {**FORM, "email": "PATIENT@example.org"})
    second = Booking.objects.exclude(pk=first.pk).get()
    assert response.status_code == 302
    assert response.url == confirm_url(second)
    assert second.status == Status.DRAFT
    assert callbacks == []

    html = ops_client.get(response.url).content.decode()
    assert "already enrolled for Nutrition today" in html
    assert str(first) in html
    assert "Enroll again" in html

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = ops_client.post(confirm_url(second))
    assert response.url == reverse("bookings:status", args=[second.pk])
    second.refresh_from_db()
    assert second.status == Status.QUEUED
    assert len(callbacks) == 1


def test_confirming_twice_queues_once(
    ops_client, operations_user, sandicare_credential, django_capture_on_commit_callbacks
):
    earlier_enrollment(operations_user)
    ops_client.post(START, FORM)
    second = Booking.objects.get(status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ops_client.post(confirm_url(second))
        response = ops_client.post(confirm_url(second))
    assert response.url == reverse("bookings:status", args=[second.pk])
    assert len(callbacks) == 1
    assert ops_client.get(confirm_url(second)).url == reverse("bookings:status", args=[second.pk])


@pytest.mark.parametrize(
    "earlier",
    [
        {"sandicare_service": "psychology"},
        {"email": "someone.else@example.org"},
        {"sent_at": timezone.now() - datetime.timedelta(days=1, hours=1)},
        {"status": Status.FAILED},
        {"status": Status.CANCELLED},
    ],
    ids=["other-service", "other-patient", "yesterday", "failed", "cancelled"],
)
def test_no_warning_when_it_is_not_a_repeat(
    ops_client, operations_user, sandicare_credential, django_capture_on_commit_callbacks, earlier
):
    first = earlier_enrollment(operations_user, **earlier)
    with django_capture_on_commit_callbacks(execute=False):
        response = ops_client.post(START, FORM)
    second = Booking.objects.exclude(pk=first.pk).get()
    assert response.url == reverse("bookings:status", args=[second.pk])
    assert second.status == Status.QUEUED


@pytest.mark.parametrize("status", [Status.QUEUED, Status.SUBMITTING, Status.VERIFY_WITH_PARTNER])
def test_an_enrollment_still_on_its_way_counts(ops_client, operations_user, sandicare_credential, status):
    earlier_enrollment(operations_user, status=status)
    response = ops_client.post(START, FORM)
    assert response.url == confirm_url(Booking.objects.get(status=Status.DRAFT))


def test_going_back_from_the_warning_keeps_what_was_typed(ops_client, operations_user, sandicare_credential):
    earlier_enrollment(operations_user)
    ops_client.post(START, FORM)
    second = Booking.objects.get(status=Status.DRAFT)
    html = ops_client.get(confirm_url(second)).content.decode()
    edit = reverse("bookings:enrollment-edit", args=[second.pk])
    assert f'href="{edit}"' in html
    form = ops_client.get(edit).content.decode()
    assert 'value="patient@example.org"' in form
    assert '<option value="nutrition" selected>' in form


@pytest.mark.parametrize(
    "persona, expected", [("operations", 200), ("superuser", 200), ("finance", 403), ("partner_admin", 403)]
)
def test_role_access(persona_client, operations_user, sandicare_credential, persona, expected):
    earlier_enrollment(operations_user)
    draft = booking_create_draft(partner_code=Partner.Code.SANDICARE, actor=operations_user)
    client = persona_client(persona)
    assert client.get(confirm_url(draft)).status_code == expected
    if expected == 403:
        assert client.post(confirm_url(draft)).status_code == 403


def test_anonymous_is_sent_to_login(client, operations_user, sandicare_credential):
    draft = booking_create_draft(partner_code=Partner.Code.SANDICARE, actor=operations_user)
    response = client.get(confirm_url(draft))
    assert response.url.startswith(reverse("accounts:login"))
