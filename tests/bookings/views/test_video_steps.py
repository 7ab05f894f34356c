"""The video consultation flow's own pages: each step's GET and POST.

What both Sanar flows do alike (access, start and resume, breadcrumb, reloads, Book) is in
test_flow_steps.py.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.adapters import sanar_video
from tests.bookings.views.flow_cases import VIDEO
from tests.bookings.views.flow_support import field_errors
from tests.bookings.views.flow_support import url as step
from tests.bookings.views.video_support import make_catalogue, tomorrow, video_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def flow():
    return VIDEO


# --- 1. speciality ---------------------------------------------------------------------------


def test_speciality_lists_active_specialities_with_a_filter(ops_client, operations_user, catalogue):
    booking = video_draft(operations_user)
    page = ops_client.get(step("video-speciality", booking)).content.decode()
    assert "Family Medicine" in page and "Pediatrics" in page
    assert "Retired Speciality" not in page
    assert 'data-filter="#speciality-list"' in page
    filtered = ops_client.get(step("video-speciality", booking), {"q": "pedia"}).content.decode()
    assert "Pediatrics" in filtered and "Family Medicine" not in filtered


def test_speciality_shows_the_catalogue_age_and_a_refresh_button(ops_client, operations_user, db):
    make_catalogue(synced_at=timezone.now() - datetime.timedelta(hours=3))
    booking = video_draft(operations_user)
    page = ops_client.get(step("video-speciality", booking)).content.decode()
    assert "Sanar catalogue updated 3\xa0hours ago" in page
    assert reverse("bookings:video-refresh", args=[booking.pk]) in page
    assert "Refresh from Sanar" in page


def test_choosing_a_speciality_saves_it_and_goes_to_doctors(ops_client, operations_user, catalogue):
    booking = video_draft(operations_user)
    response = ops_client.post(step("video-speciality", booking), {"speciality_id": "DP12"})
    assert response.url == step("video-doctor", booking)
    booking.refresh_from_db()
    assert (booking.speciality_id, booking.speciality_name) == ("DP12", "Pediatrics")


def test_another_speciality_clears_the_doctor_and_slot(ops_client, operations_user, catalogue):
    booking = video_draft(operations_user, through="slot")
    ops_client.post(step("video-speciality", booking), {"speciality_id": "DP12"})
    booking.refresh_from_db()
    assert (booking.doctor_id, booking.slot_id, booking.appointment_date, booking.amount) == ("", "", None, None)


def test_the_same_speciality_keeps_the_doctor(ops_client, operations_user, catalogue):
    booking = video_draft(operations_user, through="slot")
    ops_client.post(step("video-speciality", booking), {"speciality_id": "DP34"})
    booking.refresh_from_db()
    assert booking.doctor_id == "EMP86190" and booking.slot_id == "S-0930"


@pytest.mark.parametrize("value", ["DP99", "NOPE", ""])
def test_an_unknown_or_retired_speciality_is_refused(ops_client, operations_user, catalogue, value):
    booking = video_draft(operations_user)
    response = ops_client.post(step("video-speciality", booking), {"speciality_id": value})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    booking.refresh_from_db()
    assert booking.speciality_id == ""


def test_an_empty_catalogue_is_fetched_on_first_use(ops_client, operations_user, sanar_video_credential, monkeypatch):
    monkeypatch.setattr(
        sanar_video, "specialities", lambda credential: [sanar_video.Speciality(id="DP34", name="Family Medicine")]
    )
    monkeypatch.setattr(sanar_video, "doctors", lambda credential, *, spec_id: [])
    booking = video_draft(operations_user)
    page = ops_client.get(step("video-speciality", booking)).content.decode()
    assert "Family Medicine" in page


# --- 2. doctor -------------------------------------------------------------------------------


def test_doctor_cards_show_what_staff_choose_on(ops_client, operations_user, catalogue):
    booking = video_draft(operations_user, through="speciality")
    page = ops_client.get(step("video-doctor", booking)).content.decode()
    card = page.split('data-doctor="EMP86190"')[1].split("</li>")[0]
    for text in [
        "Dr. Prince George",
        "Consultant",
        "General",
        '<span aria-hidden="true">★</span> 4.8',
        "Arabic, English",
        "10 years of experience",
        "09:00",
        "SAR\xa090.00",
        'src="https://cdn.sanar.example/doctors/EMP86190.jpg"',
        "data-fallback",
    ]:
        assert text in card, text
    assert "Dr. Layla Haddad" not in page  # another speciality


def test_a_doctor_without_photo_gets_the_initials_placeholder(ops_client, operations_user, catalogue):
    booking = video_draft(operations_user, through="speciality")
    page = ops_client.get(step("video-doctor", booking)).content.decode()
    card = page.split('data-doctor="EMP86205"')[1].split("</li>")[0]
    assert 'class="avatar no-photo" data-initials="NA"' in card
    assert "<img" not in card


@pytest.mark.parametrize(
    "sort, first", [("rating", "EMP86190"), ("price", "EMP86205"), ("next_slot", "EMP86190"), ("bogus", "EMP86190")]
)
def test_doctors_sort_by_rating_price_or_next_slot(ops_client, operations_user, catalogue, sort, first):
    booking = video_draft(operations_user, through="speciality")
    page = ops_client.get(step("video-doctor", booking), {"sort": sort}).content.decode()
    assert re.findall(r'data-doctor="(\w+)"', page)[0] == first


def test_choosing_a_doctor_saves_the_price_and_goes_to_slots(ops_client, operations_user, catalogue):
    booking = video_draft(operations_user, through="speciality")
    response = ops_client.post(step("video-doctor", booking), {"doctor_id": "EMP86205"})
    assert response.url == step("video-slot", booking)
    booking.refresh_from_db()
    assert (booking.doctor_id, booking.doctor_name, str(booking.amount), booking.currency) == (
        "EMP86205",
        "Dr. Noura Al Harbi",
        "75.50",
        "SAR",
    )


def test_a_doctor_of_another_speciality_is_refused(ops_client, operations_user, catalogue):
    booking = video_draft(operations_user, through="speciality")
    response = ops_client.post(step("video-doctor", booking), {"doctor_id": "EMP86212"})
    assert "no longer listed for this speciality" in response.content.decode()


# --- 3. date and slot ----------------------------------------------------------------------


def test_slot_page_shows_the_live_slots_with_taken_ones_not_clickable(
    ops_client, operations_user, catalogue, fake_read
):
    booking = video_draft(operations_user, through="doctor")
    page = ops_client.get(step("video-slot", booking)).content.decode()
    assert fake_read.calls == [{"doctor_id": "EMP86190", "date": timezone.localdate()}]
    assert re.search(r'value="S-0900"[^>]*class="slot btn btn-outline-primary"', page)
    assert re.search(r'value="S-1000"[^>]*class="slot taken btn btn-outline-primary" disabled', page)
    today, last = timezone.localdate(), timezone.localdate() + datetime.timedelta(days=29)
    assert f'min="{today.isoformat()}" max="{last.isoformat()}"' in page
    assert f'hx-get="{step("video-slots", booking)}"' in page


@pytest.mark.parametrize("offset, reason", [(-1, "today or a later day"), (30, "Bookings open 30 days ahead")])
def test_days_outside_the_horizon_are_refused_without_calling_sanar(
    ops_client, operations_user, catalogue, fake_read, offset, reason
):
    booking = video_draft(operations_user, through="doctor")
    day = timezone.localdate() + datetime.timedelta(days=offset)
    html = ops_client.get(step("video-slots", booking), {"date": day.isoformat()}).content.decode()
    assert reason in html
    assert fake_read.calls == []


def test_choosing_a_free_slot_saves_it_and_goes_to_the_patient(ops_client, operations_user, catalogue, fake_read):
    booking = video_draft(operations_user, through="doctor")
    response = ops_client.post(
        step("video-slot", booking), {"appointment_date": tomorrow().isoformat(), "slot_id": "S-0930"}
    )
    assert response.url == step("video-patient", booking)
    booking.refresh_from_db()
    assert (booking.appointment_date, booking.slot_id, booking.appointment_time) == (tomorrow(), "S-0930", "09:30")


@pytest.mark.parametrize("slot_id, reason", [("S-1000", "just taken"), ("S-2300", "not offered that day")])
def test_a_taken_or_unknown_slot_is_refused(ops_client, operations_user, catalogue, fake_read, slot_id, reason):
    booking = video_draft(operations_user, through="doctor")
    response = ops_client.post(
        step("video-slot", booking), {"appointment_date": tomorrow().isoformat(), "slot_id": slot_id}
    )
    assert response.status_code == 200
    assert reason in response.content.decode()
    booking.refresh_from_db()
    assert booking.slot_id == ""


def test_the_chosen_slot_is_shown_selected_on_reload(ops_client, operations_user, catalogue, fake_read):
    booking = video_draft(operations_user, through="slot")
    page = ops_client.get(step("video-slot", booking)).content.decode()
    assert fake_read.calls[-1]["date"] == tomorrow()
    assert re.search(r'value="S-0930"[^>]*class="slot selected btn btn-outline-primary"', page)


# --- 4. patient ----------------------------------------------------------------------------


VALID_PATIENT = {
    "patient_name": "  Sara   Ali ",
    "mobile": "0501234567",
    "email": "sara@example.org",
    "patient_gender": "Female",
    "patient_dob": "1990-05-17",
}


def test_patient_form_saves_a_normalised_patient(ops_client, operations_user, catalogue):
    booking = video_draft(operations_user, through="slot")
    response = ops_client.post(step("video-patient", booking), VALID_PATIENT)
    assert response.url == step("video-confirm", booking)
    booking.refresh_from_db()
    assert booking.patient_name == "Sara Ali"
    assert booking.mobile == "+966501234567"
    assert booking.patient_dob == datetime.date(1990, 5, 17)


def test_invalid_patient_input_shows_the_reason_by_the_field_and_keeps_everything(
    ops_client, operations_user, catalogue
):
    booking = video_draft(operations_user, through="slot")
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    data = {**VALID_PATIENT, "mobile": "12345", "email": "not-an-email", "patient_dob": future}
    response = ops_client.post(step("video-patient", booking), data)
    assert response.status_code == 200
    assert field_errors(response, "mobile") and "valid mobile" in field_errors(response, "mobile")[0]
    assert field_errors(response, "email")
    assert "cannot be in the future" in field_errors(response, "patient_dob")[0]
    html = response.content.decode()
    assert 'value="12345"' in html and 'value="not-an-email"' in html and f'value="{future}"' in html
    assert 'value="  Sara   Ali "' in html
    assert re.search(r'value="Female"[^>]*checked', html)
    booking.refresh_from_db()
    assert booking.patient_name == ""


def test_patient_form_is_prefilled_and_shows_the_age(ops_client, operations_user, catalogue):
    booking = video_draft(operations_user, through="patient")
    html = ops_client.get(step("video-patient", booking)).content.decode()
    assert 'value="Sara Ali"' in html and 'value="+966501234567"' in html and 'value="1990-05-17"' in html
    assert re.search(r'<output id="id_patient_dob-age" class="age"[^>]*>Age: \d+ years</output>', html)


# --- 5. confirm ----------------------------------------------------------------------------


def test_confirm_shows_the_whole_selection(ops_client, complete_draft):
    html = ops_client.get(step("video-confirm", complete_draft)).content.decode()
    for text in [
        "Family Medicine",
        "Dr. Prince George",
        "09:30",
        "SAR\xa090.00",
        "Sara Ali",
        "050 123 4567",
        "sara@example.org",
        "Female",
        "17/05/1990",
        'id="book-button"',
    ]:
        assert text in html, text
