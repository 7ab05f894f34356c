"""A returning patient chosen on the first step of each flow: nothing about them is typed again."""

import pytest
from django.urls import reverse

from bookings.models import Booking
from bookings.services.drafts import SELECTION_FIELDS, booking_update_selection
from patients.services import patient_create
from tests.bookings.views.flow_cases import FLOWS
from tests.bookings.views.flow_support import url as step

pytestmark = pytest.mark.django_db

PATIENT_FIELDS = {"patient", "patient_name", "patient_dob", "patient_gender", "mobile", "email", "patient_language"}


@pytest.fixture(params=FLOWS, ids=str)
def flow(request):
    return request.param


@pytest.fixture
def layla(operations_user):
    return patient_create(
        actor=operations_user,
        full_name="Layla Haddad",
        mobile="+966501234567",
        email="layla@example.org",
        date_of_birth="2021-03-04",
        gender="Female",
        language="ar",
    )


def test_choosing_a_patient_on_the_start_page_fills_the_patient_step(
    ops_client, operations_user, flow, catalogue, layla
):
    start = reverse(f"bookings:{flow.page('start')}")
    found = ops_client.get(start, {"q": "0501234567"}).content.decode()
    assert "Layla Haddad" in found and f'name="patient" value="{layla.pk}"' in found

    ops_client.post(start, {"intent": "6f1c0f7e-8a55-4f0b-9d0e-3f1b6a1d2c3e", "patient": layla.pk})
    booking = Booking.objects.get()
    assert booking.patient == layla
    assert (booking.patient_name, booking.mobile, booking.email) == (
        "Layla Haddad",
        "+966501234567",
        "layla@example.org",
    )
    assert booking.patient_language == "ar" and str(booking.patient_dob) == "2021-03-04"

    # Staff choose the rest; the patient step then shows what the directory held.
    before_contact = next(through for through, page in flow.resume if page == flow.contact)
    chosen = flow.draft(operations_user, through=before_contact)
    rest = {name: getattr(chosen, name) for name in SELECTION_FIELDS - PATIENT_FIELDS if getattr(chosen, name)}
    booking_update_selection(booking_id=booking.pk, actor=operations_user, **rest)
    page = ops_client.get(step(flow.page(flow.contact), booking)).content.decode()
    assert 'value="Layla Haddad"' in page and "layla@example.org" in page


def test_the_same_start_form_posted_twice_is_one_booking(ops_client, flow, catalogue, layla):
    start = reverse(f"bookings:{flow.page('start')}")
    post = {"intent": "0d7c2d44-1f3a-4b8e-8c55-2a1b9d0e7f61", "patient": layla.pk}
    ops_client.post(start, post)
    ops_client.post(start, post)
    assert Booking.objects.filter(patient=layla).count() == 1


def test_the_enrollment_form_is_filled_from_the_chosen_patient(ops_client, sandicare_credential, layla):
    start = reverse("bookings:enrollment-start")
    found = ops_client.get(start, {"q": "layla@example.org"}).content.decode()
    assert f'href="?patient={layla.pk}"' in found
    page = ops_client.get(start, {"patient": layla.pk}).content.decode()
    assert 'value="layla@example.org"' in page and 'value="2021-03-04"' in page
    assert f'name="patient" value="{layla.pk}"' in page


def test_the_matches_come_as_staff_type_and_search_still_works_without_javascript(ops_client, flow, catalogue, layla):
    start = reverse(f"bookings:{flow.page('start')}")
    page = ops_client.get(start).content.decode()
    # htmx asks the same page as the name is typed and takes its results region; the form still submits.
    assert 'hx-select="#returning-results" hx-target="#returning-results"' in page
    assert '<div id="returning-results" aria-live="polite">' in page and "Layla Haddad" not in page
    found = ops_client.get(start, {"q": "Layla"}).content.decode()
    region = found.split('<div id="returning-results"', 1)[1]
    assert "Layla Haddad" in region and f'name="patient" value="{layla.pk}"' in region
