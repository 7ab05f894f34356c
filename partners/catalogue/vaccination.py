"""Mirror the Sanar kids vaccination services of the credential's product, with their details.

The product code (``prd_id``) is the credential's, never typed by staff; rows are kept per
product, so changing it in the admin shows the new product's services after the next sync.
Partner I/O goes through the adapter only, each answer stored in its own short transaction
afterwards. A service whose details could not be fetched keeps its previous details; a
service Sanar no longer lists (or no longer knows, 1004) is kept, marked inactive.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from partners import credentials
from partners.adapters import sanar_vaccination
from partners.catalogue.base import SyncReport, sync_catalogue
from partners.errors import NoActiveCredential, NotFound, PartnerError
from partners.models import Partner, VaccinationService

PARTNER_CODE = Partner.Code.SANAR_VACCINATION


def sync_vaccination_catalogue(credential=None) -> SyncReport:
    """Fetch the product's services, then each one's details, and upsert them."""
    return sync_catalogue(
        PARTNER_CODE, credential, fetch=sanar_vaccination.services, store=_store_services, each=_sync_listed
    )


def sync_vaccination_details(*, service_ids: list[str], credential=None) -> SyncReport:
    """Fetch the details of a few services now (staff opened them before the beat task did)."""
    report = SyncReport(PARTNER_CODE)
    credential = report.credential(credential)
    for service_id in service_ids if credential else []:
        _sync_details(credential, service_id, report)
    return report


def product_code() -> str | None:
    """The product whose services staff book: the active credential's (None: no credential)."""
    try:
        return credentials.active_credential(PARTNER_CODE).product_code
    except NoActiveCredential:
        return None


def offered_services() -> QuerySet[VaccinationService]:
    """The services staff may choose: active ones of the current product."""
    services = VaccinationService.objects.filter(is_active=True)
    code = product_code()
    return services.filter(product_code=code) if code is not None else services


def selected_services(service_ids: list[str]) -> list[VaccinationService]:
    """The mirrored rows of a booking's services, in the booking's order (active or not)."""
    rows = VaccinationService.objects.filter(service_id__in=service_ids)
    code = product_code()
    if code is not None:
        rows = rows.filter(product_code=code)
    by_id = {row.service_id: row for row in rows}
    return [by_id[service_id] for service_id in service_ids if service_id in by_id]


def last_synced_at():
    """When the services list last came from Sanar (None: never)."""
    return offered_services().order_by("-synced_at").values_list("synced_at", flat=True).first()


def _store_services(credential, listed, report: SyncReport) -> None:
    code, now = credential.product_code, timezone.now()
    with transaction.atomic():
        for item in listed:
            _, created = VaccinationService.objects.update_or_create(
                product_code=code,
                service_id=item.id,
                defaults={
                    "name": item.name or item.id,
                    "price_amount": item.price.amount if item.price else None,
                    "price_currency": item.price.currency if item.price else "",
                    "age_group": item.age_group,
                    "raw": item.raw or {},
                    "is_active": True,
                    "synced_at": now,
                },
            )
            report.count(created)
        delisted = VaccinationService.objects.filter(product_code=code, is_active=True).exclude(
            service_id__in=[item.id for item in listed]
        )
        report.deactivated += delisted.update(is_active=False)


def _sync_listed(credential, service: sanar_vaccination.VaccinationService, report: SyncReport) -> None:
    _sync_details(credential, service.id, report)


def _sync_details(credential, service_id: str, report: SyncReport) -> None:
    rows = VaccinationService.objects.filter(product_code=credential.product_code, service_id=service_id)
    try:
        details = sanar_vaccination.details(credential, service_id=service_id)
    except NotFound:
        report.deactivated += rows.filter(is_active=True).update(is_active=False)
        return
    except PartnerError as error:
        report.errors.append(f"details of {service_id}: {error.partner_message}")
        return
    rows.update(
        description=details.description,
        inclusions=details.inclusions,
        instructions=details.instructions,
        details_raw=details.raw or {},
        details_synced_at=timezone.now(),
    )
