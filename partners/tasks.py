"""Celery tasks of the partners app."""

from celery import shared_task

from partners.catalogue import sync_all_catalogues
from partners.contract import runs
from partners.contract.daily import check_every_active_credential
from partners.models import Credential


@shared_task(name="partners.tasks.sync_catalogues")
def sync_catalogues() -> list[dict]:
    """Mirror every registered partner catalogue (beat: ``sync-catalogues``)."""
    return [report.as_dict() for report in sync_all_catalogues()]


@shared_task(name="partners.tasks.check_contracts")
def check_contracts() -> list[dict]:
    """The contract check of every active credential (beat: ``check-contracts``, daily in production)."""
    return check_every_active_credential()


@shared_task(name="partners.tasks.check_contract")
def check_contract(credential_id: int) -> bool:
    """One credential's contract check, asked from its admin page; whether a flow would break."""
    credential = Credential.objects.select_related("partner").filter(pk=credential_id).first()
    return credential is not None and runs.run_check(credential).breaking
