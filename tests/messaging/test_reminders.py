"""Reminders at 24 h and 1 h: each sent once, whatever runs beat twice or restarts it; none
for cancelled or failed bookings, none without consent."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from bookings.states import Status
from messaging.models import Message
from messaging.reminders import reminders_queue
from patients.services import patient_create
from tests.factories import make_booking

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo(settings.TIME_ZONE)
APPOINTMENT = datetime.datetime(2026, 12, 20, 9, 30, tzinfo=ZONE)


def booked(*, consents=True, status=Status.AWAITING_PAYMENT):
    patient = patient_create(
        actor=None, full_name="Layla Haddad", email="layla@example.org", consents_to_messages=consents
    )
    return make_booking(
        patient=patient,
        status=status,
        email="layla@example.org",
        appointment_date=APPOINTMENT.date(),
        appointment_time="09:30",
        payment_url="https://pay.sanar.test/p/abc",
    )


def run_beat(at, enqueued=None):
    return reminders_queue(enqueue=(enqueued if enqueued is not None else []).append, now=at)


def test_each_lead_time_is_reminded_once_across_runs_and_a_restart():
    booking = booked()
    assert run_beat(APPOINTMENT - datetime.timedelta(hours=25)) == 0  # not due yet
    enqueued = []
    assert run_beat(APPOINTMENT - datetime.timedelta(hours=23), enqueued) == 1
    assert run_beat(APPOINTMENT - datetime.timedelta(hours=22)) == 0  # the next beat tick, or after a restart
    assert run_beat(APPOINTMENT - datetime.timedelta(minutes=50)) == 1  # the 1 h reminder
    assert run_beat(APPOINTMENT - datetime.timedelta(minutes=10)) == 0
    assert run_beat(APPOINTMENT + datetime.timedelta(minutes=1)) == 0  # past: nothing more
    leads = sorted(booking.messages.values_list("reminder_lead_minutes", flat=True))
    assert leads == [60, 24 * 60] and len(enqueued) == 1
    assert set(booking.messages.values_list("template", flat=True)) == {Message.Template.REMINDER}


@pytest.mark.django_db(transaction=True)
def test_two_beat_processes_at_once_store_one_reminder():
    booked()
    barrier, counts = threading.Barrier(2), []

    def beat():
        from django.db import connection

        barrier.wait()
        try:
            counts.append(run_beat(APPOINTMENT - datetime.timedelta(minutes=30)))
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Message.objects.count() == 2  # the 24 h and the 1 h reminder, once each
    assert sum(counts) == 2


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.FAILED, Status.DRAFT])
def test_no_reminder_for_a_booking_not_booked(status):
    booked(status=status)
    assert run_beat(APPOINTMENT - datetime.timedelta(minutes=30)) == 0


def test_no_reminder_without_consent():
    booked(consents=False)
    assert run_beat(APPOINTMENT - datetime.timedelta(minutes=30)) == 0
    assert not Message.objects.exists()


def test_a_reminder_is_not_sent_once_consent_is_withdrawn():
    from messaging.sending import message_send
    from patients.services import patient_update

    booking = booked()
    enqueued = []
    run_beat(APPOINTMENT - datetime.timedelta(minutes=30), enqueued)
    patient_update(patient_id=booking.patient_id, actor=None, consents_to_messages=False)
    assert {message_send(message_id=pk, final_attempt=False) for pk in enqueued} == {Message.Status.FAILED}
