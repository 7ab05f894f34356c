"""The "Test connection" check: read-only steps, what each proved, what was left unchecked.

Nothing is ever created upstream: no ``/book``, no ``/meetings/enroll``.
- Every partner: the base URL is allowed (partners/hosts.py), checked without connecting.
- Sanar video: ``/specialities`` and ``/doctors`` (unsigned catalogue calls) find a doctor,
  then a signed ``GET /slots`` for that doctor today proves the token and the Cmt secret.
- Sanar vaccination: ``/services`` proves the product code, then a signed ``POST /browse``
  (a read) for the first service today at the clinic proves the token and the Cmt secret.
- Sandicare: its only endpoint creates an enrollment, so the key and the program ids are
  checked by the partner on the first enrollment only. The check proves what it can without
  it: the key prefix fits the environment, and the host answers a GET on the base URL (over
  https that proves the certificate), sent without the key.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from partners import credentials
from partners.adapters import sanar_vaccination, sanar_video
from partners.client import PartnerClient
from partners.errors import NoActiveCredential, PartnerError, SignatureMismatch, Unauthorized
from partners.models import Credential, Partner

RESULT_MAX: int = Credential._meta.get_field("last_check_result").max_length or 300
CREDENTIAL_PROBLEMS = (Unauthorized, SignatureMismatch, NoActiveCredential)


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    checked: tuple[str, ...] = ()
    not_checked: tuple[str, ...] = ()
    problem: str = ""
    secrets_proved: bool = False  # the partner accepted the secrets themselves, not only the address

    @property
    def summary(self) -> str:
        parts = [self.problem] if self.problem else []
        if self.checked:
            parts.append(gettext("Checked: %(steps)s.") % {"steps": "; ".join(self.checked)})
        if self.not_checked:
            parts.append(gettext("Not checked: %(steps)s.") % {"steps": "; ".join(self.not_checked)})
        return " ".join(parts)


@dataclass
class _Steps:
    """The steps still to come, in order; a failed step leaves itself and the rest unchecked."""

    pending: list[str]
    never: tuple[str, ...]  # what this check never does, whatever happens
    checked: list[str] = field(default_factory=list)

    def passed(self, what: str) -> None:
        self.pending.pop(0)
        self.checked.append(what)

    def result(self, *, problem: str = "", secrets_proved: bool = False) -> CheckResult:
        return CheckResult(
            ok=not problem,
            checked=tuple(self.checked),
            not_checked=(*self.pending, *self.never),
            problem=problem,
            secrets_proved=secrets_proved and not problem,
        )


def check_connection(credential: Credential) -> CheckResult:
    plan, check, never = CHECKS[Partner.Code(credential.partner.code)]
    steps = _Steps(
        pending=[gettext("the base URL's scheme and host"), *(gettext(step) for step in plan)],
        never=tuple(gettext(step) for step in never),
    )
    try:
        result = _base_url(credential, steps) or check(credential, steps)
    except CREDENTIAL_PROBLEMS as error:
        result = steps.result(problem=gettext("Credentials rejected: %(answer)s") % {"answer": error.partner_message})
        credentials.mark_failing(credential, result.problem)
    except PartnerError as error:
        outcome = error.outcome.replace("_", " ").capitalize()
        result = steps.result(problem=f"{outcome}: {error.partner_message}")  # the partner's words and outcome code
    if result.secrets_proved:
        credentials.mark_healthy(credential)
    _store(credential, result)
    return result


def _base_url(credential: Credential, steps: _Steps) -> CheckResult | None:
    """Refuse a base URL the client would never call, without connecting."""
    if reason := credential.base_url_error():
        credentials.mark_failing(credential, reason)
        return steps.result(problem=gettext("Base URL refused, nothing was sent: %(reason)s") % {"reason": reason})
    steps.passed(gettext("the base URL is allowed (%(host)s)") % {"host": _scheme_and_host(credential.base_url)})
    return None


def _check_sanar_video(credential: Credential, steps: _Steps) -> CheckResult:
    specialities = sanar_video.specialities(credential)
    steps.passed(gettext("/specialities answers (%(count)d specialities)") % {"count": len(specialities)})
    doctor_id = next(
        (
            doctor.doctor_id
            for speciality in specialities[:3]
            for doctor in sanar_video.doctors(credential, spec_id=speciality.id)
        ),
        None,
    )
    if doctor_id is None:
        return steps.result(problem=gettext("No doctor found in the first specialities to ask slots for."))
    steps.passed(gettext("/doctors answers"))
    sanar_video.slots(credential, doctor_id=doctor_id, date=timezone.localdate())
    steps.passed(gettext("the signed /slots call: the Authorization token and the Cmt secret are accepted"))
    return steps.result(secrets_proved=True)


def _check_sanar_vaccination(credential: Credential, steps: _Steps) -> CheckResult:
    services = sanar_vaccination.services(credential)
    if not services:
        return steps.result(problem=gettext("/services lists no service for this product code."))
    steps.passed(gettext("/services answers for this product code (%(count)d services)") % {"count": len(services)})
    sanar_vaccination.browse(
        credential, date=timezone.localdate(), location=clinic_location(), service_ids=[services[0].id]
    )
    steps.passed(gettext("the signed /browse call: the Authorization token and the Cmt secret are accepted"))
    return steps.result(secrets_proved=True)


def _check_sandicare(credential: Credential, steps: _Steps) -> CheckResult:
    if reason := credential.key_prefix_error():
        credentials.mark_failing(credential, reason)
        return steps.result(problem=reason)
    prefix = Credential.SANDICARE_KEY_PREFIXES[credential.environment]
    steps.passed(
        gettext("the key has the %(environment)s prefix %(prefix)s")
        % {"environment": credential.get_environment_display().lower(), "prefix": prefix}
    )
    status = PartnerClient(credential).reach(operation="connection_check")
    if credential.base_url.lower().startswith("https://"):
        answer = gettext(
            "the host answers GET on the base URL, sent without the key (valid certificate, HTTP %(status)s)"
        )
    else:
        answer = gettext("the host answers GET on the base URL, sent without the key (HTTP %(status)s)")
    steps.passed(answer % {"status": status})
    return steps.result()


def clinic_location() -> sanar_vaccination.Location:
    return sanar_vaccination.Location(
        city=settings.CLINIC_DEFAULT_CITY, lat=settings.CLINIC_DEFAULT_LAT, lng=settings.CLINIC_DEFAULT_LNG, address=""
    )


def _scheme_and_host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc}"


# Step names in English, marked for the catalogues; ``check_connection`` reads them in the admin's language.
BOOK_NEVER = (gettext_noop("/book (it would create a booking)"),)
SANDICARE_NEVER = (gettext_noop("the key and the program ids (Sandicare checks them only on an enrollment)"),)
CHECKS = {
    Partner.Code.SANAR_VIDEO: (
        ["/specialities", "/doctors", gettext_noop("the Authorization token and the Cmt secret (signed /slots)")],
        _check_sanar_video,
        BOOK_NEVER,
    ),
    Partner.Code.SANAR_VACCINATION: (
        [
            gettext_noop("the product code (/services)"),
            gettext_noop("the Authorization token and the Cmt secret (signed /browse)"),
        ],
        _check_sanar_vaccination,
        BOOK_NEVER,
    ),
    Partner.Code.SANDICARE: (
        [gettext_noop("the key prefix for the environment"), gettext_noop("the host over the network")],
        _check_sandicare,
        SANDICARE_NEVER,
    ),
}


def _store(credential: Credential, result: CheckResult) -> None:
    now = timezone.now()
    summary = result.summary
    if len(summary) > RESULT_MAX:
        summary = summary[: RESULT_MAX - 1] + "…"
    Credential.objects.filter(pk=credential.pk).update(last_checked_at=now, last_check_result=summary)
    credential.last_checked_at, credential.last_check_result = now, summary
