"""The "Test connection" check: one harmless call, its verdict stored on the credential.

Sanar: a catalogue call (video: specialities; vaccination: services). It proves the base
URL and, for vaccination, the product code; catalogue calls carry no token, so the token
and the Cmt secret are proved by the first browse or booking call.
Sandicare: ``POST /meetings/enroll`` with ``{}``. The key is checked before the fields,
so 400 (fields missing) means the key is good and 401 means it is not.
"""

from dataclasses import dataclass

from django.utils import timezone

from partners import credentials
from partners.adapters import sanar_vaccination, sanar_video, sandicare
from partners.client import PartnerClient
from partners.errors import NoActiveCredential, PartnerError, SignatureMismatch, Unauthorized, ValidationFailed
from partners.models import Credential, Partner

RESULT_MAX = Credential._meta.get_field("last_check_result").max_length
CREDENTIAL_PROBLEMS = (Unauthorized, SignatureMismatch, NoActiveCredential)


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    summary: str


def check_connection(credential: Credential) -> CheckResult:
    try:
        result = _check(credential)
    except CREDENTIAL_PROBLEMS as error:
        result = CheckResult(False, f"Credentials rejected: {error.partner_message}")
        credentials.mark_failing(credential, result.summary)
    except PartnerError as error:
        result = CheckResult(False, f"{error.outcome.replace('_', ' ').capitalize()}: {error.partner_message}")
    else:
        if result.ok:
            credentials.mark_healthy(credential)
    _store(credential, result)
    return result


def _check(credential: Credential) -> CheckResult:
    code = credential.partner.code
    if code == Partner.Code.SANAR_VIDEO:
        specialities = sanar_video.specialities(credential)
        return CheckResult(
            True, f"Reachable: {len(specialities)} specialities. Token and Cmt are checked on the first booking."
        )
    if code == Partner.Code.SANAR_VACCINATION:
        services = sanar_vaccination.services(credential)
        return CheckResult(
            True,
            f"Reachable: {len(services)} services for this product code. Token and Cmt are checked on the first browse.",
        )
    return _check_sandicare_key(credential)


def _check_sandicare_key(credential: Credential) -> CheckResult:
    try:
        PartnerClient(credential).request(
            operation="connection_check", method="POST", path=sandicare.ENROLL_PATH, payload={}
        )
    except ValidationFailed:
        return CheckResult(True, "API key accepted (the empty test enrollment was refused for missing fields).")
    return CheckResult(True, "API key accepted.")


def _store(credential: Credential, result: CheckResult) -> None:
    now = timezone.now()
    summary = result.summary[:RESULT_MAX]
    Credential.objects.filter(pk=credential.pk).update(last_checked_at=now, last_check_result=summary)
    credential.last_checked_at, credential.last_check_result = now, summary
