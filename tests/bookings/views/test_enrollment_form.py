"""The Sandicare enrollment form: program from the credential, the reason rule, errors that keep input."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import tasks
from bookings.models import Booking
from bookings.states import Status
from partners.models import Credential, Partner

pytestmark = pytest.mark.django_db

START = reverse("bookings:enrollment-start")
VALID = {
    "program_id": "1002",
    "sandicare_service": "general_medicine",
    "email": "patient@example.org",
    "patient_dob": "1990-05-17",
    "consultation_reason": "Persistent headache for three days",
}


def post(client, **changes):
    return client.post(START, {**VALID, **changes})


def field_errors(response, name):
    """The error paragraphs rendered inside the field's wrapper."""
    html = response.content.decode()
    block = re.search(rf'<div class="field[^"]*" id="field-{name}">(.*?)\n  </div>', html, re.S)
    assert block, f"field {name} not rendered"
    return re.findall(r'<p class="error"[^>]*>(.*?)</p>', block.group(1), re.S)


# --- access ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    response = client.get(START)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "persona, expected", [("operations", 200), ("superuser", 200), ("finance", 403), ("partner_admin", 403)]
)
def test_role_access(persona_client, sandicare_credential, persona, expected):
    assert persona_client(persona).get(START).status_code == expected


@pytest.mark.parametrize("persona", ["finance", "partner_admin"])
def test_other_roles_cannot_post(persona_client, sandicare_credential, persona):
    assert post(persona_client(persona)).status_code == 403
    assert not Booking.objects.exists()


# --- the form ------------------------------------------------------------------------------


def test_form_offers_the_credentials_programs_and_the_services_by_name(ops_client, sandicare_credential):
    html = ops_client.get(START).content.decode()
    program_select = re.search(r'<select name="program_id".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\d+)"', program_select) == ["1001", "1002"]
    assert "disabled" not in program_select
    for label in ("General medicine", "Nutrition", "Psychology", "Internal medicine"):
        assert f">{label}</option>" in html
    assert 'name="patient_dob"' in html and 'type="date"' in html
    assert "Only for General medicine" in html  # visible without JavaScript


def test_form_loads_its_script_from_a_static_file_without_inline_code(ops_client, sandicare_credential):
    html = ops_client.get(START).content.decode()
    assert re.search(r'<script src="[^"]*portal/enrollment\.js" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert 'style="' not in html


def test_a_single_program_is_shown_but_not_chosen(ops_client, sandicare_credential):
    Credential.objects.filter(pk=sandicare_credential.pk).update(program_ids="1002")
    html = ops_client.get(START).content.decode()
    assert re.search(r'<select name="program_id"[^>]*disabled', html)
    response = post(ops_client, program_id="9999")  # a tampered value is ignored
    assert response.status_code == 302
    assert Booking.objects.get().program_id == "1002"


def test_a_program_the_credential_does_not_hold_is_refused(ops_client, sandicare_credential):
    response = post(ops_client, program_id="2001")
    assert response.status_code == 400
    assert field_errors(response, "program_id")
    assert not Booking.objects.exists()


def test_without_an_active_credential_the_form_says_why(ops_client, sandicare_credential):
    Credential.objects.filter(pk=sandicare_credential.pk).update(is_active=False)
    assert "No program configured" in ops_client.get(START).content.decode()
    response = post(ops_client)
    assert response.status_code == 400
    assert "partner admin must add the Sandicare key" in " ".join(field_errors(response, "program_id"))
    assert not Booking.objects.exists()


# --- submitting ----------------------------------------------------------------------------


def test_valid_enrollment_is_stored_queued_and_sent_by_the_enroll_task(
    ops_client, sandicare_credential, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(tasks.send_booking, "delay", lambda pk: sent.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = post(ops_client, email="Patient@Example.org")
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("bookings:status", args=[booking.pk])
    assert booking.partner.code == Partner.Code.SANDICARE
    assert booking.status == Status.QUEUED
    assert (booking.program_id, booking.sandicare_service, booking.patient_dob) == (
        "1002",
        "general_medicine",
        datetime.date(1990, 5, 17),
    )
    assert booking.email.lower() == "patient@example.org"
    assert booking.consultation_reason == "Persistent headache for three days"
    assert sent == [booking.pk]


@pytest.mark.parametrize("service", ["nutrition", "psychology", "internal_medicine"])
def test_reason_is_discarded_for_other_services_whatever_the_browser_sends(
    ops_client, sandicare_credential, django_capture_on_commit_callbacks, service
):
    with django_capture_on_commit_callbacks(execute=False):
        response = post(ops_client, sandicare_service=service, consultation_reason="Sent by a tampered form")
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.sandicare_service == service
    assert booking.consultation_reason == ""


def test_reason_is_optional_for_other_services(ops_client, sandicare_credential, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = post(ops_client, sandicare_service="nutrition", consultation_reason="")
    assert response.status_code == 302


@pytest.mark.parametrize("reason", ["", "   "])
def test_reason_is_required_for_general_medicine_and_nothing_typed_is_lost(ops_client, sandicare_credential, reason):
    response = post(ops_client, consultation_reason=reason, email="someone@example.org")
    assert response.status_code == 400
    assert field_errors(response, "consultation_reason") == [
        "Enter the reason for the consultation (General medicine)."
    ]
    html = response.content.decode()
    assert 'value="someone@example.org"' in html
    assert 'value="1990-05-17"' in html
    assert re.search(r'<option value="general_medicine" selected>', html)
    assert re.search(r'<option value="1002" selected>', html)
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        ({"patient_dob": "17/05/1990"}, "patient_dob", "Enter the date of birth as YYYY-MM-DD."),
        ({"patient_dob": "1990-02-30"}, "patient_dob", "Enter the date of birth as YYYY-MM-DD."),
        (
            {"sandicare_service": "dentistry"},
            "sandicare_service",
            "Select a valid choice. dentistry is not one of the available choices.",
        ),
        ({"sandicare_service": ""}, "sandicare_service", "This field is required."),
    ],
)
def test_invalid_input_is_explained_next_to_the_field_and_kept(
    ops_client, sandicare_credential, changes, field, message
):
    response = post(ops_client, **changes)
    assert response.status_code == 400
    assert field_errors(response, field) == [message]
    html = response.content.decode()
    assert "Persistent headache for three days" in html
    for name, value in changes.items():
        if value and name in ("email", "patient_dob"):
            assert f'value="{value}"' in html
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "days_from_today, message",
    [
        (0, "The date of birth must be in the past."),
        (1, "The date of birth cannot be in the future."),
        (400, "The date of birth cannot be in the future."),
    ],
)
def test_date_of_birth_must_be_in_the_past(ops_client, sandicare_credential, days_from_today, message):
    day = timezone.localdate() + datetime.timedelta(days=days_from_today)
    response = post(ops_client, patient_dob=day.isoformat())
    assert response.status_code == 400
    assert field_errors(response, "patient_dob") == [message]
    assert f'value="{day.isoformat()}"' in response.content.decode()


def test_inactive_sandicare_product_is_refused_on_the_form(ops_client, sandicare_credential):
    Partner.objects.filter(code=Partner.Code.SANDICARE).update(is_active=False)
    response = post(ops_client)
    assert response.status_code == 400
    assert "is not active" in response.content.decode()
    assert not Booking.objects.exists()


def test_start_page_links_to_the_enrollment_flow(ops_client, sandicare_credential):
    html = ops_client.get(reverse("bookings:start")).content.decode()
    assert f'href="{START}"' in html
