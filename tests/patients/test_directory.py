"""The patient directory: adding, editing with history, consent time, search, the patient page."""

import datetime

import pytest
from django.urls import reverse

from patients.models import Patient
from patients.selectors import search_patients
from patients.services import patient_create, patient_update
from tests.factories import get_partner, make_booking

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "  Layla   Haddad ",
    "mobile": "0501234567",
    "email": "layla@example.org",
    "date_of_birth": "1990-05-17",
    "gender": "Female",
    "language": "ar",
    "preferred_channel": "sms",
    "consents_to_messages": "on",
}


def make_patient(actor=None, **fields) -> Patient:
    values = {"full_name": "Layla Haddad", "mobile": "+966501234567", "email": "layla@example.org"}
    return patient_create(actor=actor, **{**values, **fields})


def test_adding_a_patient_stores_e164_and_the_consent_time(ops_client):
    response = ops_client.post(reverse("patients:add"), FORM)
    patient = Patient.objects.get()
    assert response.url == reverse("patients:detail", args=[patient.pk])
    assert (patient.full_name, patient.mobile, patient.language) == ("Layla Haddad", "+966501234567", "ar")
    assert patient.consents_to_messages and patient.consent_changed_at is not None


def test_a_bad_mobile_is_said_next_to_the_field_and_nothing_typed_is_lost(ops_client):
    response = ops_client.post(reverse("patients:add"), {**FORM, "mobile": "12"})
    page = response.content.decode()
    assert response.status_code == 200 and not Patient.objects.exists()
    assert 'id="field-mobile"' in page and "not a valid mobile number" in page
    assert 'value="layla@example.org"' in page and "Layla   Haddad" in page


def test_sms_without_a_mobile_asks_for_one(ops_client):
    response = ops_client.post(reverse("patients:add"), {**FORM, "mobile": ""})
    assert "Add a mobile number, or choose email." in response.content.decode()


def test_editing_keeps_who_changed_what_and_when_consent_changed(ops_client, operations_user):
    patient = make_patient(consents_to_messages=True)
    agreed_at = patient.consent_changed_at
    ops_client.post(
        reverse("patients:edit", args=[patient.pk]), {**FORM, "email": "new@example.org", "consents_to_messages": ""}
    )
    patient.refresh_from_db()
    assert patient.email == "new@example.org" and not patient.consents_to_messages
    assert patient.consent_changed_at > agreed_at
    change = patient.changes.first()
    assert change.actor == operations_user
    assert change.fields["email"] == ["layla@example.org", "new@example.org"]
    page = ops_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert "layla@example.org → new@example.org" in page


def test_an_edit_that_changes_nothing_leaves_no_history():
    patient = make_patient()
    patient_update(patient_id=patient.pk, actor=None, email="layla@example.org")
    assert patient.changes.count() == 1  # the creation only


@pytest.mark.parametrize(
    "query", ["0501234567", "+966 50 123 4567", "501234", "LAYLA@example.org", "layla@", "haddad layla", "Hadd"]
)
def test_search_finds_by_mobile_email_or_name(query):
    patient = make_patient()
    make_patient(full_name="Omar Said", mobile="+966551112222", email="omar@example.org")
    assert list(search_patients(query)) == [patient]


def test_an_empty_search_finds_nobody():
    make_patient()
    assert not search_patients("   ").exists()


def test_the_patient_page_lists_bookings_of_every_partner(ops_client, partners):
    patient = make_patient()
    video = make_booking(patient=patient, partner=get_partner("sanar_video"))
    enrollment = make_booking(patient=patient, partner=get_partner("sandicare"))
    other = make_booking()
    page = ops_client.get(reverse("patients:detail", args=[patient.pk])).content.decode()
    assert video.reference in page and enrollment.reference in page and other.reference not in page


def test_the_bookings_list_links_to_the_patient(ops_client):
    patient = make_patient()
    make_booking(patient=patient, patient_name="Layla Haddad")
    page = ops_client.get(reverse("bookings:list")).content.decode()
    assert reverse("patients:detail", args=[patient.pk]) in page


@pytest.mark.parametrize("persona, expected", [("finance", 403), ("partner_admin", 403), ("anonymous", 302)])
def test_only_operations_see_the_directory(persona_client, persona, expected):
    assert persona_client(persona).get(reverse("patients:list")).status_code == expected


def test_dob_in_the_future_is_refused(ops_client):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = ops_client.post(reverse("patients:add"), {**FORM, "date_of_birth": tomorrow})
    assert "cannot be in the future" in response.content.decode()
