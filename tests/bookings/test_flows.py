"""Which step Continue leads to: the next unfinished one, not the completed ones after it."""

import datetime

import pytest

from bookings.services.drafts import booking_create_draft, booking_update_selection
from bookings.views import vaccination, video
from tests.bookings.views.flow_support import url

pytestmark = pytest.mark.django_db


def draft(user, code, **fields):
    booking = booking_create_draft(partner_code=code, actor=user)
    return booking_update_selection(booking_id=booking.pk, actor=user, **fields) if fields else booking


def test_continue_skips_completed_steps_to_the_next_unfinished_one(partners, operations_user):
    patient = {
        "patient_name": "Sara",
        "mobile": "+966501234567",
        "email": "s@example.org",
        "patient_gender": "Female",
        "patient_dob": datetime.date(1990, 1, 1),
    }
    booking = draft(operations_user, "sanar_video", speciality_id="DP34", doctor_id="EMP86190", **patient)
    assert video.FLOW.next_step_url(booking, after="speciality") == url("video-slot", booking)
    assert video.FLOW.next_step_url(booking) == url("video-slot", booking)

    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    booking = booking_update_selection(
        booking_id=booking.pk, actor=operations_user, slot_id="S-0900", appointment_date=tomorrow
    )
    assert video.FLOW.next_step_url(booking, after="slot") == url("video-confirm", booking)


def test_a_step_that_shows_the_previous_choice_follows_it_every_time(partners, operations_user):
    booking = draft(operations_user, "sanar_vaccination", service_ids=["VAC-FLU"])
    assert vaccination.FLOW.next_step_url(booking, after="services") == url("vaccination-details", booking)
    assert vaccination.FLOW.next_step_url(booking, after="details") == url("vaccination-where", booking)


def test_the_next_attempt_is_due_by_the_capped_doubled_backoff(settings):
    from bookings.models import Booking
    from bookings.states import Status
    from bookings.views.status import next_attempt_by

    settings.PARTNER_RETRY_BACKOFF_SECONDS, settings.PARTNER_RETRY_BACKOFF_MAX_SECONDS = 5, 30
    changed = datetime.datetime(2030, 1, 1, 9, 0, tzinfo=datetime.UTC)
    waiting = Booking(status=Status.QUEUED, submit_attempts=2, status_changed_at=changed)
    assert next_attempt_by(waiting) == changed + datetime.timedelta(seconds=10)
    waiting.submit_attempts = 5
    assert next_attempt_by(waiting) == changed + datetime.timedelta(seconds=30)
    assert next_attempt_by(Booking(status=Status.QUEUED, submit_attempts=0, status_changed_at=changed)) is None
