"""A patient typed on a booking, saved to the directory from the hand-off page or the record:
created with consent and channel and linked; the same person already in the directory is
linked, not added twice; a different person with the same mobile is offered, not assumed."""

import pytest
from django.urls import reverse

from bookings.states import Status
from patients.models import Patient, PatientChange
from patients.services import patient_create
from tests.factories import make_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def typed():
    return make_booking(
        status=Status.AWAITING_PAYMENT,
        payment_url="https://pay.sanar.example/p/1",
        patient_name="Sara Ali",
        mobile="+966501234567",
        email="sara@example.org",
        patient_language="ar",
    )


def save(client, booking, **fields):
    post = {"full_name": "Sara Ali", "preferred_channel": "email", "consents_to_messages": "on", **fields}
    return client.post(reverse("patients:save-from-booking", args=[booking.pk]), post)


def test_the_hand_off_page_offers_to_save_a_typed_patient(ops_client, typed):
    html = ops_client.get(reverse("bookings:status", args=[typed.pk])).content.decode()
    assert reverse("patients:save-from-booking", args=[typed.pk]) in html
    assert 'name="full_name"' in html and 'value="Sara Ali"' in html and 'name="consents_to_messages"' in html
    assert 'name="channel"' not in html  # sending waits for the directory record


def test_saving_creates_and_links_the_patient(ops_client, operations_user, typed):
    response = save(ops_client, typed, next="status")
    assert response.url == reverse("bookings:status", args=[typed.pk])
    patient = Patient.objects.get()
    typed.refresh_from_db()
    assert typed.patient == patient
    assert (patient.full_name, patient.mobile, patient.email, patient.language) == (
        "Sara Ali",
        "+966501234567",
        "sara@example.org",
        "ar",
    )
    assert patient.consents_to_messages and patient.consent_changed_at and patient.preferred_channel == "email"
    assert patient.created_by == operations_user and PatientChange.objects.filter(patient=patient).count() == 1
    html = ops_client.get(response.url).content.decode()
    assert 'name="channel" value="email"' in html and "patients:save-from-booking" not in html


def test_the_same_person_already_in_the_directory_is_linked_not_duplicated(ops_client, typed):
    known = patient_create(actor=None, full_name="sara  ali", mobile="+966501234567")
    response = save(ops_client, typed, next="detail")
    assert response.url == reverse("bookings:detail", args=[typed.pk])
    typed.refresh_from_db()
    assert typed.patient == known and Patient.objects.count() == 1
    known.refresh_from_db()
    assert known.consents_to_messages  # what staff recorded now, with its history row
    assert known.changes.count() == 2


def test_another_person_with_the_same_mobile_is_offered_to_link(ops_client, typed):
    sibling = patient_create(actor=None, full_name="Omar Ali", mobile="+966501234567")
    html = ops_client.get(reverse("bookings:status", args=[typed.pk])).content.decode()
    assert "Omar Ali" in html and f'name="patient" value="{sibling.pk}"' in html
    # Saving makes Sara a patient of her own…
    save(ops_client, typed)
    assert Patient.objects.count() == 2
    typed.refresh_from_db()
    assert typed.patient.full_name == "Sara Ali"


def test_linking_a_listed_patient(ops_client, typed):
    sara = patient_create(actor=None, full_name="Sara A.", email="SARA@example.org")
    url = reverse("patients:link-to-booking", args=[typed.pk])
    response = ops_client.post(url, {"patient": sara.pk, "next": "detail"})
    assert response.url == reverse("bookings:detail", args=[typed.pk])
    typed.refresh_from_db()
    assert typed.patient == sara and Patient.objects.count() == 1


@pytest.mark.parametrize("patient", ["", "abc", "٩", "99999999999999999999"])
def test_linking_only_a_patient_with_the_booking_contact(ops_client, typed, patient):
    stranger = patient_create(actor=None, full_name="Someone Else", mobile="+966509999999")
    for value in (patient, stranger.pk):
        response = ops_client.post(reverse("patients:link-to-booking", args=[typed.pk]), {"patient": value})
        assert response.status_code == 302
    typed.refresh_from_db()
    assert typed.patient is None


def test_errors_are_next_to_the_fields_and_what_was_typed_is_kept(ops_client, typed):
    response = save(ops_client, typed, full_name="  ", preferred_channel="fax", consents_to_messages="on")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<div class="field mb-3 has-error" id="field-full_name">' in html
    assert '<div class="field mb-3 has-error" id="field-preferred_channel">' in html
    assert 'name="consents_to_messages" class="form-check-input" id="id_consents_to_messages" checked' in html or (
        'id="id_consents_to_messages" checked' in html
    )
    assert not Patient.objects.exists()


def test_a_linked_booking_is_not_saved_again(ops_client, typed):
    save(ops_client, typed)
    response = save(ops_client, typed, full_name="Sara Other")  # a second click, another tab
    assert response.status_code == 302
    assert "already linked" in ops_client.get(response.url).content.decode()
    assert Patient.objects.count() == 1


def test_finance_cannot_save_or_link(persona_client, typed):
    client = persona_client("finance")
    assert save(client, typed).status_code == 403
    assert client.post(reverse("patients:link-to-booking", args=[typed.pk])).status_code == 403
    assert not Patient.objects.exists()
