"""Both Sanar flows end to end: the pages, a real Celery worker on Redis, the partner simulator.

The database guard, not the browser, prevents a second booking: two Book POSTs at the same
moment plus reloaded POSTs create one upstream booking. Each test runs once per flow; what
plays out per product is in test_video_booking.py and test_vaccination_booking.py.
"""

import pytest
from django.urls import reverse

from bookings.states import Status
from tests.bookings.views.flow_cases import FLOWS
from tests.bookings.views.flow_support import url
from tests.integration.booking_support import post_in_threads, settled

pytestmark = pytest.mark.worker


@pytest.fixture(params=FLOWS, ids=str)
def flow(request):
    return request.param


def test_double_click_and_reloaded_post_create_one_upstream_booking(
    celery_worker_process, flow, sim_credential, staff, staff_client, partner_simulator
):
    partner_simulator.set_latency(300)  # the second click lands while the first send is in flight
    booking = flow.walk_to_confirm(staff_client)
    confirm = url(flow.page("confirm"), booking)
    assert post_in_threads(staff, confirm, 2) == [302, 302]
    assert staff_client.post(confirm).url == url("status", booking)  # reload of the POST

    booking = settled(booking.pk)
    assert booking.status == Status.AWAITING_PAYMENT, celery_worker_process.log()[-3000:]
    staff_client.post(confirm)  # a reload much later
    panel = staff_client.get(url("status-panel", booking)).content.decode()
    assert booking.payment_url in panel and "hx-trigger" not in panel  # final: polling stops
    assert partner_simulator.successful_creates(flow.operation("book")) == 1
    assert len(partner_simulator.received(flow.operation("book"))) == 1
    assert booking.events.filter(to_status=Status.QUEUED).count() == 1


def test_5000_until_retries_run_out_needs_attention_then_retry_books(
    celery_worker_process, flow, sim_credential, staff_client, partner_simulator
):
    partner_simulator.inject(flow.operation("book"), "5000", times=3)
    booking = flow.walk_to_confirm(staff_client)
    staff_client.post(url(flow.page("confirm"), booking))
    booking = settled(booking.pk)
    assert booking.status == Status.NEEDS_ATTENTION, celery_worker_process.log()[-3000:]
    assert any("retrying (attempt 3 of 3)" in event.reason_text for event in booking.events.all())
    assert "Retry now" in staff_client.get(url("status", booking)).content.decode()
    staff_client.post(reverse("bookings:detail-retry", args=[booking.pk]))
    assert settled(booking.pk, Status.AWAITING_PAYMENT)
    assert partner_simulator.successful_creates(flow.operation("book")) == 1
