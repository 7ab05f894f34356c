"""Reopening an enrollment Sandicare refused: its answer is shown on the form, then it is sent again."""

import dataclasses
import re

import pytest
from django.urls import reverse

from bookings import products
from bookings.models import Booking
from bookings.services.drafts import booking_create_draft, booking_update_selection
from bookings.services.sending import booking_send
from bookings.services.submission import booking_submit
from bookings.states import Status
from partners import errors
from partners.models import Partner, UpstreamCall

pytestmark = pytest.mark.django_db


def edit_url(booking):
    return reverse("bookings:enrollment-edit", args=[booking.pk])


def draft(user, **fields):
    booking = booking_create_draft(partner_code=Partner.Code.SANDICARE, actor=user)
    values = {
        "program_id": "1002",
        "sandicare_service": "nutrition",
        "email": "patient@example.org",
        "patient_dob": "1990-05-17",
        **fields,
    }
    return booking_update_selection(booking_id=booking.pk, actor=user, **values)


def answered(booking, user, error_class, message, monkeypatch, django_capture_on_commit_callbacks):
    """Send ``booking`` once; Sandicare answers with ``error_class(message)``."""

    def enroll(credential, *, booking, attempt=1):
        call = UpstreamCall.objects.create(
            partner=booking.partner,
            credential=credential,
            booking=booking,
            operation="enroll",
            method="POST",
            url="https://sandicare.test/api/v1/meetings/enroll",
            outcome=error_class.outcome,
        )
        raise error_class(message, call=call)

    product = dataclasses.replace(products.PRODUCTS[Partner.Code.SANDICARE], create_call=enroll)
    monkeypatch.setitem(products.PRODUCTS, Partner.Code.SANDICARE, product)
    with django_capture_on_commit_callbacks(execute=False):
        booking_submit(booking_id=booking.pk, actor=user)
    booking_send(booking_id=booking.pk, retries_done=0, max_retries=0)
    booking.refresh_from_db()
    return booking


@pytest.fixture
def failed_400(operations_user, sandicare_credential, monkeypatch, django_capture_on_commit_callbacks):
    def make(message):
        booking = draft(operations_user)
        return answered(
            booking, operations_user, errors.ValidationFailed, message, monkeypatch, django_capture_on_commit_callbacks
        )

    return make


def errors_of(html, name):
    block = re.search(rf'<div class="field[^"]*" id="field-{name}">(.*?)\n  </div>', html, re.S).group(1)
    return re.findall(r'<p class="error"[^>]*>(.*?)</p>', block, re.S)


def top_errors(html):
    match = re.search(r'<div class="errors[^"]*" role="alert">(.*?)</div>', html, re.S)
    return match.group(1) if match else ""


# --- access ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, operations_user, sandicare_credential):
    response = client.get(edit_url(draft(operations_user)))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "persona, expected", [("operations", 200), ("superuser", 200), ("finance", 403), ("partner_admin", 403)]
)
def test_role_access(persona_client, operations_user, sandicare_credential, persona, expected):
    booking = draft(operations_user)
    assert persona_client(persona).get(edit_url(booking)).status_code == expected


def test_another_products_booking_is_not_found(ops_client, operations_user, sanar_video_credential):
    booking = booking_create_draft(partner_code=Partner.Code.SANAR_VIDEO, actor=operations_user)
    assert ops_client.get(edit_url(booking)).status_code == 404


# --- 400: the partner's message on the form ---------------------------------------------------


def test_400_message_naming_a_field_is_shown_next_to_it(ops_client, failed_400):
    booking = failed_400("dateOfBirth must be a date in YYYY-MM-DD format")
    assert booking.status == Status.FAILED
    html = ops_client.get(edit_url(booking)).content.decode()
    assert errors_of(html, "patient_dob") == ["dateOfBirth must be a date in YYYY-MM-DD format"]
    assert top_errors(html) == ""
    assert 'value="patient@example.org"' in html and 'value="1990-05-17"' in html


def test_400_message_naming_no_field_is_shown_above_the_form(ops_client, failed_400):
    booking = failed_400("Missing or invalid fields.")
    html = ops_client.get(edit_url(booking)).content.decode()
    assert "Missing or invalid fields." in top_errors(html)


def test_status_page_sends_staff_back_to_the_form_after_a_400(ops_client, failed_400):
    booking = failed_400("email is not a valid address")
    html = ops_client.get(reverse("bookings:status", args=[booking.pk])).content.decode()
    assert "email is not a valid address" in html
    assert f'href="{edit_url(booking)}"' in html
    assert "Go back and fix it" in html


def test_fixing_a_refused_enrollment_sends_it_again(ops_client, failed_400, django_capture_on_commit_callbacks):
    booking = failed_400("dateOfBirth does not match")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = ops_client.post(
            edit_url(booking),
            {
                "program_id": "1002",
                "sandicare_service": "psychology",
                "email": "patient@example.org",
                "patient_dob": "1990-05-17",
            },
        )
    assert response.status_code == 302
    assert response.url == reverse("bookings:status", args=[booking.pk])
    booking.refresh_from_db()
    assert booking.status == Status.QUEUED
    assert booking.sandicare_service == "psychology"
    assert len(callbacks) == 1
    assert [e.to_status for e in booking.events.order_by("id")][-2:] == [Status.DRAFT, Status.QUEUED]


def test_an_invalid_fix_stays_on_the_form_and_the_booking_stays_failed(ops_client, failed_400):
    booking = failed_400("dateOfBirth does not match")
    response = ops_client.post(
        edit_url(booking), {"program_id": "1002", "sandicare_service": "nutrition", "email": "x"}
    )
    assert response.status_code == 400
    assert errors_of(response.content.decode(), "email") == ["Enter a valid email address."]
    booking.refresh_from_db()
    assert booking.status == Status.FAILED


# --- 404: no subscription ------------------------------------------------------------------


def test_404_shows_what_to_check_on_the_status_page_and_the_form(
    ops_client, operations_user, sandicare_credential, monkeypatch, django_capture_on_commit_callbacks
):
    booking = answered(
        draft(operations_user, email="unknown@example.org"),
        operations_user,
        errors.NotFound,
        "No patient is registered with this email.",
        monkeypatch,
        django_capture_on_commit_callbacks,
    )
    assert booking.status == Status.FAILED
    assert booking.partner_message == products.NO_SUBSCRIPTION_MESSAGE
    status_html = ops_client.get(reverse("bookings:status", args=[booking.pk])).content.decode()
    assert "No active Sandicare subscription matches this email and date of birth" in status_html
    assert "Retry now" not in status_html
    assert f'href="{edit_url(booking)}"' in status_html
    form_html = ops_client.get(edit_url(booking)).content.decode()
    assert "No active Sandicare subscription matches this email and date of birth" in top_errors(form_html)
    assert errors_of(form_html, "email") == []  # the message mentions the email but belongs to no one field
    assert 'value="unknown@example.org"' in form_html


# --- states that cannot be edited ------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.QUEUED, Status.ENROLLED, Status.NEEDS_ATTENTION])
def test_a_booking_on_its_way_or_done_cannot_be_edited(ops_client, operations_user, sandicare_credential, status):
    booking = draft(operations_user)
    Booking.objects.filter(pk=booking.pk).update(status=status)
    for response in (
        ops_client.get(edit_url(booking)),
        ops_client.post(edit_url(booking), {"sandicare_service": "psychology"}),
    ):
        assert response.status_code == 302
        assert response.url == reverse("bookings:status", args=[booking.pk])
    booking.refresh_from_db()
    assert booking.sandicare_service == "nutrition"


def test_resume_of_a_draft_opens_the_form(ops_client, operations_user, sandicare_credential):
    booking = draft(operations_user)
    response = ops_client.get(reverse("bookings:resume", args=[booking.pk]))
    assert response.url == edit_url(booking)
    html = ops_client.get(edit_url(booking)).content.decode()
    assert re.search(r'<option value="nutrition" selected>', html)
    assert top_errors(html) == ""
