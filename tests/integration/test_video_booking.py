"""Video consultation end to end: the pages, a real Celery worker on Redis, the partner simulator.

The database guard, not the browser, prevents a second booking: two Book POSTs at the same
moment plus a reloaded POST create one upstream booking.
"""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts import roles
from bookings.models import Booking
from bookings.states import Status
from partner_simulator import demo_keys
from partners.catalogue.video import sync_video_catalogue
from partners.models import Credential, Partner
from tests.bookings.views.video_support import url, walk_to_confirm
from tests.worker_fixtures import wait_for

pytestmark = pytest.mark.worker
BOOK = "sanar_video.book"
FINAL = (
    Status.AWAITING_PAYMENT,
    Status.SLOT_UNAVAILABLE,
    Status.FAILED,
    Status.NEEDS_ATTENTION,
    Status.VERIFY_WITH_PARTNER,
)


@pytest.fixture
def sim_credential(transactional_db, partner_simulator):
    # Transactional tests flush the rows the data migrations made: make sure ours exist.
    partner, _ = Partner.objects.get_or_create(
        code=Partner.Code.SANAR_VIDEO, defaults={"vendor": Partner.Vendor.SANAR, "name": "Sanar video consultation"}
    )
    credential = Credential.objects.create(
        partner=partner,
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sanar_video"),
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
    )
    assert sync_video_catalogue().ok
    return credential


@pytest.fixture
def staff(transactional_db, django_user_model):
    user = django_user_model.objects.create_user(username="ops-video", password="x")
    user.groups.add(Group.objects.get_or_create(name=roles.OPERATIONS)[0])
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def settled(booking_id, *states):
    return wait_for(lambda: Booking.objects.filter(pk=booking_id, status__in=states or FINAL).first(), timeout=30)


def post_in_threads(user, path, count):
    """``count`` clients of the same user POST at the same moment (a double click)."""
    barrier, statuses = threading.Barrier(count), []

    def post():
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            statuses.append(client.post(path).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


def test_double_click_and_reloaded_post_create_one_upstream_booking(
    celery_worker_process, sim_credential, staff, staff_client, partner_simulator
):
    partner_simulator.set_latency(300)  # the second click lands while the first send is in flight
    booking = walk_to_confirm(staff_client)
    assert post_in_threads(staff, url("video-confirm", booking), 2) == [302, 302]
    assert staff_client.post(url("video-confirm", booking)).url == url("status", booking)  # reload of the POST

    booking = settled(booking.pk)
    assert booking.status == Status.AWAITING_PAYMENT, celery_worker_process.log()[-3000:]
    staff_client.post(url("video-confirm", booking))  # a reload much later
    panel = staff_client.get(url("status-panel", booking)).content.decode()
    assert booking.payment_url in panel and "hx-trigger" not in panel  # final: polling stops
    assert partner_simulator.successful_creates(BOOK) == 1
    assert len(partner_simulator.received(BOOK)) == 1
    assert booking.events.filter(to_status=Status.QUEUED).count() == 1


def test_5000_is_retried_by_the_worker_until_the_link_arrives(
    celery_worker_process, sim_credential, staff_client, partner_simulator
):
    partner_simulator.inject(BOOK, "5000")
    booking = walk_to_confirm(staff_client)
    staff_client.post(url("video-confirm", booking))
    booking = settled(booking.pk)
    assert booking.status == Status.AWAITING_PAYMENT, celery_worker_process.log()[-3000:]
    assert booking.submit_attempts == 2
    assert booking.events.filter(reason__contains="retrying (attempt 2 of 3)").exists()
    assert partner_simulator.successful_creates(BOOK) == 1


def test_5000_until_retries_run_out_needs_attention_then_retry_books(
    celery_worker_process, sim_credential, staff_client, partner_simulator
):
    partner_simulator.inject(BOOK, "5000", times=3)
    booking = walk_to_confirm(staff_client)
    staff_client.post(url("video-confirm", booking))
    booking = settled(booking.pk)
    assert booking.status == Status.NEEDS_ATTENTION, celery_worker_process.log()[-3000:]
    assert "Retry now" in staff_client.get(url("status", booking)).content.decode()
    staff_client.post(reverse("bookings:detail-retry", args=[booking.pk]))
    assert settled(booking.pk, Status.AWAITING_PAYMENT)
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
