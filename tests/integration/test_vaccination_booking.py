"""Kids vaccination end to end: the pages, a real Celery worker on Redis, the partner simulator.

What both Sanar flows do alike through the worker is in test_flow_booking.py.
"""

import pytest

from bookings.states import Status
from tests.bookings.views.flow_cases import VACCINATION
from tests.bookings.views.vaccination_support import url, walk_to_confirm
from tests.integration.booking_support import settled

pytestmark = pytest.mark.worker
BOOK = "sanar_vaccination.book"


@pytest.fixture
def flow():
    return VACCINATION


def test_1005_through_the_worker_returns_to_slot_choice(
    celery_worker_process, sim_credential, staff_client, partner_simulator
):
    partner_simulator.inject(BOOK, "1005")
    booking = walk_to_confirm(staff_client)
    staff_client.post(url("vaccination-confirm", booking))
    booking = settled(booking.pk)
    assert booking.status == Status.SLOT_UNAVAILABLE, celery_worker_process.log()[-3000:]
    page = staff_client.get(url("vaccination-slot", booking)).content.decode()
    group = next(g for g in page.split('class="slot-group"')[1:] if booking.provider_id in g)
    assert f'value="{booking.slot_id}"' in group and "slot selected taken" in group
