from partners.models.catalogue import Doctor, Speciality, VaccinationService
from partners.models.contract_run import ContractRun
from partners.models.credential import Credential
from partners.models.partner import Partner
from partners.models.upstream_call import UpstreamCall

__all__ = ["ContractRun", "Credential", "Doctor", "Partner", "Speciality", "UpstreamCall", "VaccinationService"]
