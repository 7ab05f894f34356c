"""Video consultation end to end: the pages, a real Celery worker on Redis, the partner simulator.

What both Sanar flows do alike through the worker (one booking however often Book is pressed,
retries running out) is in test_flow_booking.py.
"""

import pytest

from bookings.states import Status
from tests.bookings.views.flow_cases import VIDEO
from tests.bookings.views.video_support import url, walk_to_confirm
from tests.integration.booking_support import settled

pytestmark = pytest.mark.worker
BOOK = "sanar_video.book"


@pytest.fixture
def flow():
    return VIDEO


def test_5000_is_retried_by_the_worker_until_the_link_arrives(
    celery_worker_process, sim_credential, staff_client, partner_simulator
):
    partner_simulator.inject(BOOK, "5000")
    booking = walk_to_confirm(staff_client)
    staff_client.post(url("video-confirm", booking))
    booking = settled(booking.pk)
    assert booking.status == Status.AWAITING_PAYMENT, celery_worker_process.log()[-3000:]
    assert booking.submit_attempts == 2
    assert any("retrying (attempt 2 of 3)" in event.reason_text for event in booking.events.all())
    assert partner_simulator.successful_creates(BOOK) == 1


def test_1005_through_the_worker_returns_to_slot_choice(
    celery_worker_process, sim_credential, staff_client, partner_simulator
):
    partner_simulator.inject(BOOK, "1005")
    booking = walk_to_confirm(staff_client)
    staff_client.post(url("video-confirm", booking))
    booking = settled(booking.pk)
    assert booking.status == Status.SLOT_UNAVAILABLE, celery_worker_process.log()[-3000:]
    page = staff_client.get(url("video-slot", booking)).content.decode()
    assert f'value="{booking.slot_id}"' in page and "slot selected taken" in page
