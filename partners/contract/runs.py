"""Run the contract check and keep its report; the latest report of each credential."""

from django.db.models import OuterRef, Subquery

from partners.contract.walk import check_contract
from partners.models import ContractRun, Credential


def run_check(credential: Credential) -> ContractRun:
    report = check_contract(credential)  # partner calls first, outside any transaction
    return ContractRun.objects.create(credential=credential, breaking=report.breaking, report=report.as_dict())


def latest_run(credential: Credential) -> ContractRun | None:
    return credential.contract_runs.order_by("-checked_at", "-pk").first()


def drifting_credentials() -> list[Credential]:
    """Active credentials whose latest contract check found a difference that breaks a flow."""
    latest = ContractRun.objects.filter(credential=OuterRef("pk")).order_by("-checked_at", "-pk").values("breaking")[:1]
    return list(
        Credential.objects.filter(is_active=True)
        .annotate(latest_breaking=Subquery(latest))
        .filter(latest_breaking=True)
        .select_related("partner")
    )
