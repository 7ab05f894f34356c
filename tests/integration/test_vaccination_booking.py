"""Kids vaccination end to end: the pages, a real Celery worker on Redis, the partner simulator."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from bookings.states import Status
from partners.catalogue.vaccination import sync_vaccination_catalogue
from tests.bookings.views.vaccination_support import simulator_credential, url, walk_to_confirm
from tests.integration.test_video_booking import post_in_threads, settled

pytestmark = pytest.mark.worker
BOOK = "sanar_vaccination.book"


@pytest.fixture
def sim_credential(transactional_db, partner_simulator):
    credential = simulator_credential(partner_simulator)
    assert sync_vaccination_catalogue().ok
    return credential


@pytest.fixture
def staff(transactional_db, django_user_model):
    user = django_user_model.objects.create_user(username="ops-kids", password="x")
    user.groups.add(Group.objects.get_or_create(name=roles.OPERATIONS)[0])
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_double_click_books_once_and_the_link_arrives(
    celery_worker_process, sim_credential, staff, staff_client, partner_simulator
):
    partner_simulator.set_latency(300)  # the second click lands while the first send is in flight
    booking = walk_to_confirm(staff_client)
    assert post_in_threads(staff, url("vaccination-confirm", booking), 2) == [302, 302]
    assert staff_client.post(url("vaccination-confirm", booking)).url == url("status", booking)

    booking = settled(booking.pk)
    assert booking.status == Status.AWAITING_PAYMENT, celery_worker_process.log()[-3000:]
    panel = staff_client.get(url("status-panel", booking)).content.decode()
    assert booking.payment_url in panel and "hx-trigger" not in panel  # final: polling stops
    assert partner_simulator.successful_creates(BOOK) == 1
    assert len(partner_simulator.received(BOOK)) == 1
    assert booking.events.filter(to_status=Status.QUEUED).count() == 1


def test_5000_until_retries_run_out_needs_attention_then_retry_books(
    celery_worker_process, sim_credential, staff_client, partner_simulator
):
    partner_simulator.inject(BOOK, "5000", times=3)
    booking = walk_to_confirm(staff_client)
    staff_client.post(url("vaccination-confirm", booking))
    booking = settled(booking.pk)
    assert booking.status == Status.NEEDS_ATTENTION, celery_worker_process.log()[-3000:]
    assert booking.events.filter(reason__contains="retrying (attempt 3 of 3)").exists()
    staff_client.post(reverse("bookings:detail-retry", args=[booking.pk]))
    assert settled(booking.pk, Status.AWAITING_PAYMENT)
    assert partner_simulator.successful_creates(BOOK) == 1


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
