"""The credential's "Check contract" page, the daily run, and the partner admins' banner on a breaking drift."""

import pytest
from django.urls import reverse

from partners import tasks
from partners.models import ContractRun


@pytest.fixture
def padmin_client(client, partner_admin_user):
    client.force_login(partner_admin_user)
    return client


def test_change_form_links_to_the_check(padmin_client, video_credential):
    page = padmin_client.get(reverse("admin:partners_credential_change", args=[video_credential.pk]))
    assert reverse("admin:partners_credential_contract", args=[video_credential.pk]) in page.content.decode()


def test_the_button_queues_the_check_and_the_page_shows_its_report(
    padmin_client, video_credential, partner_simulator, monkeypatch, django_capture_on_commit_callbacks
):
    url = reverse("admin:partners_credential_contract", args=[video_credential.pk])
    assert "Not checked yet." in padmin_client.get(url).content.decode()
    queued = []
    monkeypatch.setattr("partners.tasks.check_contract.delay", queued.append)

    with django_capture_on_commit_callbacks(execute=True):
        response = padmin_client.post(url, follow=True)

    assert "The contract check is running" in response.content.decode()
    assert queued == [video_credential.pk]
    partner_simulator.inject("sanar_video.slots", "breaking_shape", times=-1)
    assert tasks.check_contract(video_credential.pk) is True
    page = padmin_client.get(url).content.decode()
    assert "A difference breaks a flow" in page
    assert "field missing: slots[].slot_id, breaks the flow" in page
    assert ContractRun.objects.get(credential=video_credential).breaking
    assert not partner_simulator.received("sanar_video.book")


def test_a_get_calls_no_partner(padmin_client, video_credential, partner_simulator):
    padmin_client.get(reverse("admin:partners_credential_contract", args=[video_credential.pk]))
    assert not partner_simulator.received()


def test_daily_run_raises_the_banner_on_breaking_drift_only(
    padmin_client, video_credential, vaccination_credential, partner_simulator
):
    partner_simulator.inject("sanar_vaccination.browse", "breaking_shape", times=-1)

    results = tasks.check_contracts()

    assert {r["partner"]: r["breaking"] for r in results} == {"sanar_video": False, "sanar_vaccination": True}
    page = padmin_client.get(reverse("bookings:dashboard")).content.decode()
    assert "answers in a shape that breaks a booking flow" in page
    assert reverse("admin:partners_credential_contract", args=[vaccination_credential.pk]) in page


def test_the_banner_goes_once_the_partner_answers_right_again(padmin_client, video_credential, partner_simulator):
    partner_simulator.inject("sanar_video.doctors", "breaking_shape", times=1)
    tasks.check_contracts()
    tasks.check_contracts()
    page = padmin_client.get(reverse("bookings:dashboard")).content.decode()
    assert "breaks a booking flow" not in page


def test_operations_staff_do_not_get_the_drift_banner(client, operations_user, video_credential):
    ContractRun.objects.create(credential=video_credential, breaking=True, report={})
    client.force_login(operations_user)
    assert "breaks a booking flow" not in client.get(reverse("bookings:dashboard")).content.decode()
