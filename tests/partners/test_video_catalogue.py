"""The Sanar video catalogue mirror: sync from the simulator, inactive rows, failures, beat task."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from partner_simulator import demo_keys
from partners import tasks
from partners.adapters import sanar_video
from partners.catalogue import CATALOGUE_SYNCS
from partners.catalogue.base import catalogue_age
from partners.catalogue.video import last_synced_at, sync_video_catalogue, sync_video_doctors
from partners.models import Credential, Doctor, Partner, Speciality


@pytest.fixture
def credential(partners, partner_simulator):
    return Credential.objects.create(
        partner=partners[Partner.Code.SANAR_VIDEO],
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sanar_video"),
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
    )


@pytest.fixture
def outside_transactions(settings):
    # The `db` fixture wraps each test in a transaction; the client refuses to call out in one.
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False


pytestmark = pytest.mark.django_db


def test_sync_mirrors_specialities_and_doctors(credential, outside_transactions):
    report = sync_video_catalogue()
    assert report.ok, report.errors
    assert (report.created, report.updated, report.deactivated) == (13, 0, 0)
    assert set(Speciality.objects.values_list("speciality_id", flat=True)) == {"DP34", "DP12", "DP21", "DP45", "DP50"}
    doctor = Doctor.objects.get(doctor_id="EMP86190")
    assert doctor.speciality.speciality_id == "DP34"
    assert doctor.name == "Dr. Prince George" and doctor.title == "Dr."
    assert (doctor.price_amount, doctor.price_currency) == (Decimal("90.00"), "SAR")
    assert doctor.rating == Decimal("4.80")
    assert doctor.languages == ["Arabic", "English"]
    assert doctor.experience == "10 years of experience" and doctor.available_slot == "09:00"
    assert doctor.img.startswith("https://")
    assert doctor.raw["pay_amount"] == "SAR 90"  # the partner's JSON is kept beside the columns
    assert Doctor.objects.get(doctor_id="EMP86240").img == ""
    assert last_synced_at() is not None


def test_a_second_sync_updates_in_place(credential, outside_transactions):
    sync_video_catalogue()
    report = sync_video_catalogue()
    assert (report.created, report.updated) == (0, 13)
    assert Doctor.objects.count() == 8 and Speciality.objects.count() == 5


def test_rows_sanar_stops_listing_are_kept_inactive(credential, outside_transactions, monkeypatch):
    sync_video_catalogue()
    listed = sanar_video.specialities(credential)
    monkeypatch.setattr(sanar_video, "specialities", lambda c: [s for s in listed if s.id != "DP50"])
    real_doctors = sanar_video.doctors
    monkeypatch.setattr(
        sanar_video,
        "doctors",
        lambda c, *, spec_id: [d for d in real_doctors(c, spec_id=spec_id) if d.doctor_id != "EMP86205"],
    )
    report = sync_video_catalogue()
    assert report.deactivated == 3
    assert Speciality.objects.get(speciality_id="DP50").is_active is False
    assert Doctor.objects.get(doctor_id="EMP86263").is_active is False  # the doctor of DP50
    assert Doctor.objects.get(doctor_id="EMP86205").is_active is False
    assert Doctor.objects.filter(is_active=True).count() == 6
    assert Doctor.objects.count() == 8


def test_sanar_down_leaves_the_catalogue_as_it_was(credential, outside_transactions, partner_simulator):
    sync_video_catalogue()
    before = last_synced_at()
    partner_simulator.inject("sanar_video.specialities", "5000")
    report = sync_video_catalogue()
    assert not report.ok and "specialities" in report.errors[0]
    assert Speciality.objects.filter(is_active=True).count() == 5
    assert last_synced_at() == before


def test_a_speciality_whose_doctors_fail_keeps_its_doctors(credential, outside_transactions, partner_simulator):
    sync_video_catalogue()
    partner_simulator.inject("sanar_video.doctors", "bad_json")
    report = sync_video_catalogue()
    assert len(report.errors) == 1 and report.errors[0].startswith("doctors of DP34")
    assert Doctor.objects.filter(is_active=True).count() == 8


def test_a_speciality_sanar_no_longer_knows_is_retired(credential, outside_transactions, partner_simulator):
    sync_video_catalogue()
    partner_simulator.inject("sanar_video.doctors", "1004")
    report = sync_video_doctors(speciality_id="DP34")
    assert report.ok
    assert Speciality.objects.get(speciality_id="DP34").is_active is False
    assert not Doctor.objects.filter(speciality__speciality_id="DP34", is_active=True).exists()


def test_refreshing_one_speciality_calls_only_its_doctors(credential, outside_transactions, partner_simulator):
    sync_video_catalogue()
    partner_simulator.reset()
    sync_video_doctors(speciality_id="DP12")
    assert [r["operation"] for r in partner_simulator.received()] == ["sanar_video.doctors"]


def test_without_an_active_credential_the_sync_reports_it(partners):
    report = sync_video_catalogue()
    assert not report.ok and "No active" in report.errors[0]


@pytest.mark.django_db(transaction=True)
def test_the_sync_never_calls_sanar_inside_a_transaction(partner_simulator, settings):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = True
    partner, _ = Partner.objects.get_or_create(
        code=Partner.Code.SANAR_VIDEO, defaults={"vendor": Partner.Vendor.SANAR, "name": "Sanar video consultation"}
    )
    Credential.objects.create(
        partner=partner,
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sanar_video"),
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
    )
    report = sync_video_catalogue()
    assert report.ok, report.errors
    assert Doctor.objects.count() == 8


def test_the_beat_task_syncs_every_registered_catalogue(credential, outside_transactions):
    assert ("sanar_video", "partners.catalogue.video.sync_video_catalogue") in CATALOGUE_SYNCS
    result = tasks.sync_catalogues.apply().get()
    assert result[0]["partner"] == "sanar_video" and result[0]["created"] == 13 and result[0]["errors"] == []


def test_the_beat_schedule_runs_the_sync_on_the_configured_interval():
    entry = django_settings.CELERY_BEAT_SCHEDULE["sync-catalogues"]
    assert entry["task"] == "partners.tasks.sync_catalogues" == tasks.sync_catalogues.name
    assert entry["schedule"] == django_settings.CATALOGUE_SYNC_INTERVAL_SECONDS


def test_catalogue_age(settings):
    settings.CATALOGUE_SYNC_INTERVAL_SECONDS = 6 * 60 * 60
    now = timezone.now()
    assert catalogue_age(None, now=now).label == "never synced"
    assert catalogue_age(now - datetime.timedelta(seconds=20), now=now).label == "updated just now"
    fresh = catalogue_age(now - datetime.timedelta(hours=3), now=now)
    assert fresh.label == "updated 3\xa0hours ago" and not fresh.is_stale
    assert catalogue_age(now - datetime.timedelta(hours=13), now=now).is_stale


def test_the_admin_shows_the_catalogue_read_only(client, superuser, credential, outside_transactions):
    sync_video_catalogue()
    client.force_login(superuser)
    page = client.get(reverse("admin:partners_doctor_changelist")).content.decode()
    assert "Dr. Prince George" in page
    assert client.get(reverse("admin:partners_doctor_add")).status_code == 403
    assert client.get(reverse("admin:partners_speciality_changelist")).status_code == 200
