"""The admin of the directory and of messages: contacts masked in the lists, searchable and
filtered; a patient saved from the admin leaves its history row; messages only read."""

import pytest
from django.urls import reverse

from bookings.states import Status
from messaging.models import Message
from patients.models import Patient
from patients.services import patient_create
from tests.factories import make_booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def layla():
    return patient_create(
        actor=None,
        full_name="Layla Haddad",
        mobile="+966501234567",
        email="layla@example.org",
        consents_to_messages=True,
    )


def test_the_patient_list_masks_contacts_and_searches_them(admin_client, layla):
    patient_create(actor=None, full_name="Omar Ali", mobile="+966509999999")
    url = reverse("admin:patients_patient_changelist")
    html = admin_client.get(url, {"q": "+966501234567"}).content.decode()
    assert "Layla Haddad" in html and "Omar Ali" not in html
    assert "+9665******67" in html and "l***@example.org" in html
    assert "+966501234567" not in html.replace('value="+966501234567"', "")  # only in the search box
    assert "layla@example.org" not in html
    filtered = admin_client.get(url, {"consents_to_messages__exact": "0"}).content.decode()
    assert "Omar Ali" in filtered and "Layla Haddad" not in filtered


def test_a_change_in_the_admin_goes_through_the_service(admin_client, superuser, layla):
    url = reverse("admin:patients_patient_change", args=[layla.pk])
    post = {
        "full_name": "Layla Haddad",
        "mobile": "0501234567",
        "email": "layla@example.org",
        "language": "ar",
        "preferred_channel": "email",
        "consents_to_messages": "",
        "changes-TOTAL_FORMS": "1",
        "changes-INITIAL_FORMS": "1",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "0",
        "changes-0-id": str(layla.changes.get().pk),
        "changes-0-patient": str(layla.pk),
    }
    response = admin_client.post(url, post)
    assert response.status_code == 302, response.content.decode()[-3000:]
    layla.refresh_from_db()
    assert layla.mobile == "+966501234567"  # normalised as in the portal's form
    assert not layla.consents_to_messages and layla.language == "ar"
    change = layla.changes.first()
    assert change.actor == superuser and set(change.fields) == {"language", "preferred_channel", "consents_to_messages"}


def test_a_patient_cannot_be_deleted_from_the_admin(admin_client, layla):
    assert admin_client.get(reverse("admin:patients_patient_delete", args=[layla.pk])).status_code == 403
    assert Patient.objects.filter(pk=layla.pk).exists()


def test_messages_are_listed_read_only(admin_client, layla):
    booking = make_booking(status=Status.AWAITING_PAYMENT, patient=layla, reference="BK-000042")
    message = Message.objects.create(
        booking=booking, channel="email", recipient_masked="l***@example.org", language="en", status="sent"
    )
    url = reverse("admin:messaging_message_changelist")
    html = admin_client.get(url, {"q": "BK-000042"}).content.decode()
    assert "l***@example.org" in html and "BK-000042" in html
    assert admin_client.get(url, {"status__exact": "failed"}).content.decode().count("l***@example.org") == 0
    page = admin_client.get(reverse("admin:messaging_message_change", args=[message.pk])).content.decode()
    assert 'name="_save"' not in page
    assert admin_client.get(reverse("admin:messaging_message_add")).status_code == 403


def test_partner_admins_see_neither(client, partner_admin_user):
    client.force_login(partner_admin_user)
    assert client.get(reverse("admin:patients_patient_changelist")).status_code == 403
    assert client.get(reverse("admin:messaging_message_changelist")).status_code == 403
