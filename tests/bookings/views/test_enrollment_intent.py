"""The enrollment form creates the draft and sends it in one POST: posted again, it is one enrollment."""

import re

import pytest
from django.urls import reverse

from bookings.models import Booking
from bookings.states import Status

pytestmark = pytest.mark.django_db

START = reverse("bookings:enrollment-start")
FORM = {
    "program_id": "1002",
    "sandicare_service": "nutrition",
    "email": "patient@example.org",
    "patient_dob": "1990-05-17",
}


def form_intent(client) -> str:
    return re.search(r'name="intent" value="([0-9a-f-]{36})"', client.get(START).content.decode()).group(1)


def test_the_form_carries_a_fresh_key_on_every_load(ops_client, sandicare_credential):
    assert form_intent(ops_client) != form_intent(ops_client)


def test_the_same_form_posted_twice_enrolls_once(ops_client, sandicare_credential, django_capture_on_commit_callbacks):
    form = {**FORM, "intent": form_intent(ops_client)}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = ops_client.post(START, form)
        again = ops_client.post(START, form)  # double click, or the browser's "resend"
    booking = Booking.objects.get()
    assert first.url == again.url == reverse("bookings:status", args=[booking.pk])
    assert booking.status == Status.QUEUED and len(callbacks) == 1


def test_a_post_without_the_key_posted_twice_enrolls_once(ops_client, sandicare_credential):
    ops_client.post(START, FORM)
    ops_client.post(START, FORM)
    assert Booking.objects.get().status == Status.QUEUED


def test_a_second_form_for_the_same_patient_asks_before_enrolling_again(ops_client, sandicare_credential):
    ops_client.post(START, {**FORM, "intent": form_intent(ops_client)})
    response = ops_client.post(START, {**FORM, "intent": form_intent(ops_client)})
    second = Booking.objects.get(status=Status.DRAFT)
    assert response.url == reverse("bookings:enrollment-confirm", args=[second.pk])


def test_a_bad_key_is_ignored_not_an_error(ops_client, sandicare_credential):
    response = ops_client.post(START, {**FORM, "intent": "z" * 10_000})
    assert response.status_code == 302
    assert Booking.objects.get().status == Status.QUEUED


def test_the_flow_start_button_carries_a_key_so_a_double_click_starts_one_draft(ops_client, sanar_video_credential):
    start = reverse("bookings:video-start")
    intent = re.search(r'name="intent" value="([0-9a-f-]{36})"', ops_client.get(start).content.decode()).group(1)
    first = ops_client.post(start, {"intent": intent})
    again = ops_client.post(start, {"intent": intent})
    assert first.url == again.url
    assert Booking.objects.count() == 1
