"""The Sanar kids vaccination catalogue mirror: services and details from the simulator, per product."""

from decimal import Decimal

import pytest
from django.urls import reverse

from partner_simulator import demo_keys
from partners import tasks
from partners.adapters import sanar_vaccination
from partners.catalogue import CATALOGUE_SYNCS
from partners.catalogue.vaccination import (
    last_synced_at,
    offered_services,
    selected_services,
    sync_vaccination_catalogue,
    sync_vaccination_details,
)
from partners.models import Credential, VaccinationService
from tests.bookings.views.vaccination_support import simulator_credential

pytestmark = pytest.mark.django_db
SERVICE_IDS = {"VAC-HEPB", "VAC-MMR", "VAC-DTAP", "VAC-FLU", "VAC-CONS"}


@pytest.fixture
def credential(partners, partner_simulator, settings):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False  # the `db` fixture wraps each test in one
    return simulator_credential(partner_simulator)


def test_sync_mirrors_services_and_their_details(credential, partner_simulator):
    report = sync_vaccination_catalogue()
    assert report.ok, report.errors
    assert (report.created, report.updated, report.deactivated) == (5, 0, 0)
    assert set(offered_services().values_list("service_id", flat=True)) == SERVICE_IDS
    hepb = VaccinationService.objects.get(service_id="VAC-HEPB")
    assert hepb.product_code == demo_keys.SANAR_PRODUCT_CODE
    assert (hepb.name, hepb.age_group) == ("Hepatitis B (birth dose)", "0-2 years")
    assert (hepb.price_amount, hepb.price_currency) == (Decimal("120.00"), "SAR")
    assert hepb.description.startswith("Hepatitis B vaccine for newborns")
    assert "Vaccine dose" in hepb.inclusions
    assert hepb.instructions[0] == "Bring the child's vaccination card."
    assert hepb.details_synced_at is not None
    assert hepb.raw["price"] == "120.00" and hepb.details_raw["id"] == "VAC-HEPB"  # the partner's JSON is kept
    assert VaccinationService.objects.get(service_id="VAC-CONS").age_group == ""
    sent = partner_simulator.received("sanar_vaccination.services")[0]["json"]
    assert sent == {"prd_id": demo_keys.SANAR_PRODUCT_CODE}  # the credential's product, never typed
    assert len(partner_simulator.received("sanar_vaccination.details")) == 5
    assert last_synced_at() is not None


def test_a_second_sync_updates_in_place(credential):
    sync_vaccination_catalogue()
    report = sync_vaccination_catalogue()
    assert (report.created, report.updated) == (0, 5)
    assert VaccinationService.objects.count() == 5


def test_services_sanar_stops_listing_are_kept_inactive(credential, monkeypatch):
    sync_vaccination_catalogue()
    listed = sanar_vaccination.services(credential)
    monkeypatch.setattr(sanar_vaccination, "services", lambda c: [s for s in listed if s.id != "VAC-DTAP"])
    report = sync_vaccination_catalogue()
    assert report.deactivated == 1
    assert VaccinationService.objects.get(service_id="VAC-DTAP").is_active is False
    assert offered_services().count() == 4
    assert [s.service_id for s in selected_services(["VAC-DTAP", "VAC-MMR"])] == ["VAC-DTAP", "VAC-MMR"]


def test_sanar_down_leaves_the_catalogue_as_it_was(credential, partner_simulator):
    sync_vaccination_catalogue()
    before = last_synced_at()
    partner_simulator.inject("sanar_vaccination.services", "5000")
    report = sync_vaccination_catalogue()
    assert not report.ok and report.errors[0].startswith("services: ")
    assert offered_services().count() == 5
    assert last_synced_at() == before


def test_a_service_whose_details_fail_keeps_its_details(credential, partner_simulator):
    sync_vaccination_catalogue()
    partner_simulator.inject("sanar_vaccination.details", "bad_json")
    report = sync_vaccination_catalogue()
    assert len(report.errors) == 1 and report.errors[0].startswith("details of VAC-")
    assert VaccinationService.objects.exclude(description="").count() == 5


def test_a_service_sanar_no_longer_knows_is_retired(credential, partner_simulator):
    sync_vaccination_catalogue()
    partner_simulator.inject("sanar_vaccination.details", "1004")
    report = sync_vaccination_details(service_ids=["VAC-MMR"])
    assert report.ok
    assert VaccinationService.objects.get(service_id="VAC-MMR").is_active is False


def test_details_of_a_few_services_are_fetched_on_demand(credential, partner_simulator):
    sync_vaccination_details(service_ids=["VAC-FLU"])  # no row yet: nothing to fill
    sync_vaccination_catalogue()
    VaccinationService.objects.update(description="", details_synced_at=None)
    partner_simulator.reset()
    report = sync_vaccination_details(service_ids=["VAC-FLU"])
    assert report.ok
    assert [r["operation"] for r in partner_simulator.received()] == ["sanar_vaccination.details"]
    assert VaccinationService.objects.get(service_id="VAC-FLU").description == "This season's influenza vaccine."
    assert VaccinationService.objects.get(service_id="VAC-MMR").details_synced_at is None


def test_only_the_current_products_services_are_offered(credential):
    sync_vaccination_catalogue()
    VaccinationService.objects.create(
        product_code="PRD-OTHER", service_id="VAC-X", name="Other product", synced_at=last_synced_at()
    )
    assert "VAC-X" not in set(offered_services().values_list("service_id", flat=True))
    assert selected_services(["VAC-X"]) == []
    Credential.objects.filter(pk=credential.pk).update(product_code="PRD-OTHER")
    assert list(offered_services().values_list("service_id", flat=True)) == ["VAC-X"]


def test_without_an_active_credential_the_sync_reports_it(partners):
    report = sync_vaccination_catalogue()
    assert not report.ok and "No active" in report.errors[0]
    assert not sync_vaccination_details(service_ids=["VAC-MMR"]).ok


@pytest.mark.django_db(transaction=True)
def test_the_sync_never_calls_sanar_inside_a_transaction(partner_simulator, settings):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = True
    simulator_credential(partner_simulator)
    report = sync_vaccination_catalogue()
    assert report.ok, report.errors
    assert VaccinationService.objects.exclude(details_synced_at=None).count() == 5


def test_the_beat_task_syncs_the_vaccination_catalogue_too(credential):
    assert ("sanar_vaccination", "partners.catalogue.vaccination.sync_vaccination_catalogue") in CATALOGUE_SYNCS
    results = {result["partner"]: result for result in tasks.sync_catalogues.apply().get()}
    assert results["sanar_vaccination"]["created"] == 5 and results["sanar_vaccination"]["errors"] == []


def test_the_admin_shows_the_catalogue_read_only(client, superuser, credential):
    sync_vaccination_catalogue()
    client.force_login(superuser)
    page = client.get(reverse("admin:partners_vaccinationservice_changelist")).content.decode()
    assert "Seasonal influenza" in page and demo_keys.SANAR_PRODUCT_CODE in page
    assert client.get(reverse("admin:partners_vaccinationservice_add")).status_code == 403
    row = VaccinationService.objects.get(service_id="VAC-FLU")
    change = client.get(reverse("admin:partners_vaccinationservice_change", args=[row.pk])).content.decode()
    assert 'name="name"' not in change  # read-only
