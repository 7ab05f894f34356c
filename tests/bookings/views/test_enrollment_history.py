"""Past Sandicare enrollments, searched by the patient's email."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from bookings.services.drafts import booking_create_draft, booking_update_selection
from bookings.states import Status
from bookings.views.enrollment import HISTORY_PAGE_SIZE
from partners.models import Partner

pytestmark = pytest.mark.django_db

HISTORY = reverse("bookings:enrollment-history")


def enrollment(user, *, email="patient@example.org", service="nutrition", status=Status.ENROLLED, url=None):
    booking = booking_create_draft(partner_code=Partner.Code.SANDICARE, actor=user)
    booking_update_selection(
        booking_id=booking.pk,
        actor=user,
        program_id="1002",
        sandicare_service=service,
        email=email,
        patient_dob="1990-05-17",
    )
    if status != Status.DRAFT:
        Booking.objects.filter(pk=booking.pk).update(
            status=status,
            submitted_at=timezone.now(),
            enrollment_url=url or (f"https://care.sandicare.example/{booking.pk}" if status == Status.ENROLLED else ""),
        )
    return Booking.objects.get(pk=booking.pk)


def rows(response):
    return re.findall(r"<tr>\s*<td[^>]*><a href=\"/bookings/(\d+)/status/\">", response.content.decode())


def test_search_by_email_is_case_insensitive_and_shows_service_time_link_status(ops_client, operations_user):
    general = enrollment(
        operations_user, service="general_medicine", url="https://nimbo.example/waiting-room/wr-000001"
    )
    failed = enrollment(operations_user, email="Patient@Example.ORG", status=Status.FAILED)
    enrollment(operations_user, email="someone.else@example.org")
    enrollment(operations_user, status=Status.DRAFT)  # never sent: not an enrollment yet
    response = ops_client.get(HISTORY, {"email": "PATIENT@example.org"})
    assert response.status_code == 200
    assert rows(response) == [str(failed.pk), str(general.pk)]
    html = response.content.decode()
    assert "General medicine" in html and "Nutrition" in html
    assert "https://nimbo.example/waiting-room/wr-000001" in html
    assert "Enrolled" in html and "Failed" in html
    assert timezone.localtime(general.created_at).strftime("%d/%m/%Y %H:%M") in html
    assert "someone.else@example.org" not in html


def test_other_products_are_not_listed(ops_client, operations_user, sanar_video_credential):
    video = booking_create_draft(partner_code=Partner.Code.SANAR_VIDEO, actor=operations_user)
    booking_update_selection(booking_id=video.pk, actor=operations_user, email="patient@example.org")
    Booking.objects.filter(pk=video.pk).update(status=Status.AWAITING_PAYMENT)
    assert rows(ops_client.get(HISTORY, {"email": "patient@example.org"})) == []


def test_without_an_email_the_latest_enrollments_are_listed(ops_client, operations_user):
    first = enrollment(operations_user)
    second = enrollment(operations_user, email="someone.else@example.org")
    response = ops_client.get(HISTORY)
    assert rows(response) == [str(second.pk), str(first.pk)]
    assert "Latest enrollments" in response.content.decode()


def test_an_invalid_email_is_explained_and_kept(ops_client, operations_user):
    enrollment(operations_user)
    response = ops_client.get(HISTORY, {"email": "patient@"})
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert 'value="patient@"' in html
    assert rows(response) == []


def test_query_count_does_not_grow_with_the_rows(ops_client, operations_user):
    enrollment(operations_user)
    ops_client.get(HISTORY, {"email": "patient@example.org"})  # warm up session and user caches
    with CaptureQueriesContext(connection) as one_row:
        ops_client.get(HISTORY, {"email": "patient@example.org"})
    for index in range(10):
        enrollment(operations_user, service=("psychology", "general_medicine")[index % 2])
    with CaptureQueriesContext(connection) as many_rows:
        response = ops_client.get(HISTORY, {"email": "patient@example.org"})
    assert len(rows(response)) == 11
    assert len(many_rows) == len(one_row)


def test_results_are_paginated_and_keep_the_search(ops_client, operations_user):
    made = [enrollment(operations_user) for _ in range(HISTORY_PAGE_SIZE + 3)]
    first_page = ops_client.get(HISTORY, {"email": "patient@example.org"})
    assert len(rows(first_page)) == HISTORY_PAGE_SIZE
    assert "?email=patient%40example.org&amp;page=2" in first_page.content.decode()
    second_page = ops_client.get(HISTORY, {"email": "patient@example.org", "page": 2})
    assert rows(second_page) == [str(b.pk) for b in made[:3]][::-1]


def test_anonymous_is_sent_to_login(client):
    response = client.get(HISTORY)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "persona, expected", [("operations", 200), ("superuser", 200), ("finance", 403), ("partner_admin", 403)]
)
def test_role_access(persona_client, persona, expected):
    assert persona_client(persona).get(HISTORY).status_code == expected
