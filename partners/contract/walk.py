"""The contract check: every read-only endpoint in flow order, never a create call.

Each answer is compared with its endpoint's schema (shapes.py) and saved redacted
(samples.py); the adapters still read it, so an answer they cannot use stops the walk
and breaks the flow in the report.
"""

import contextlib
import datetime
import json
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from partners import answers, connection_check
from partners.adapters import sanar_vaccination, sanar_video
from partners.contract import samples, shapes
from partners.contract.report import ContractReport
from partners.errors import PartnerError
from partners.models import Credential, Partner

SLOT_DAYS = 7


class _Stop(Exception):
    pass


def check_contract(credential: Credential) -> ContractReport:
    code = credential.partner.code
    report = ContractReport(partner=code, environment=credential.environment)
    walk = WALKS[Partner.Code(code)]
    with answers.observed() as seen, contextlib.suppress(_Stop):  # the failing step wrote itself into the report
        walk(credential, report, lambda operation, read: _step(report, operation, read))
    for answer in seen:
        _read_answer(report, code, answer)
    report.notes.append(gettext("Never called: /book and /meetings/enroll (they would create something)."))
    return report


def _step(report: ContractReport, operation: str, read: Callable[[], Any]) -> Any:
    try:
        return read()
    except PartnerError as error:
        report.endpoint(operation).failure = f"{type(error).__name__}: {error.partner_message or error}"
        raise _Stop from None


def _read_answer(report: ContractReport, partner: str, answer: answers.Answer) -> None:
    endpoint = report.endpoint(answer.operation)
    try:
        envelope = json.loads(answer.body)
    except ValueError:
        endpoint.statuses.append(f"HTTP {answer.http_status}, " + gettext("not JSON"))
        return
    status = envelope.get("status") if isinstance(envelope, dict) else None
    endpoint.statuses.append(f"HTTP {answer.http_status}, status {json.dumps(status)}")
    data = envelope.get("data") if isinstance(envelope, dict) else None
    info = data.get("info") if isinstance(data, dict) else None
    if str(status).strip() != "1000" or info is None:
        return
    endpoint.differences |= shapes.envelope_status(status)
    endpoint.differences |= shapes.compare(partner, answer.operation, info).differences
    path = samples.save(partner, answer.operation, envelope)
    if str(path) not in report.samples:
        report.samples.append(str(path))


def _walk_sanar_video(credential, report, step) -> None:
    specialities = step("specialities", lambda: sanar_video.specialities(credential))
    doctor_id = None
    for speciality in specialities[:3]:
        doctors = step("doctors", lambda s=speciality: sanar_video.doctors(credential, spec_id=s.id))
        if doctors:
            doctor_id = doctors[0].doctor_id
            break
    if doctor_id is None:
        report.notes.append(gettext("No doctor in the first specialities: /slots was not checked."))
        return
    today = timezone.localdate()
    for offset in range(SLOT_DAYS):
        day = today + datetime.timedelta(days=offset)
        answer = step("slots", lambda d=day: sanar_video.slots(credential, doctor_id=doctor_id, date=d))
        if answer.slots:
            return
    report.notes.append(gettext("No slot in the next %(days)d days for the doctor asked.") % {"days": SLOT_DAYS})


def _walk_sanar_vaccination(credential, report, step) -> None:
    services = step("services", lambda: sanar_vaccination.services(credential))
    if not services:
        report.notes.append(gettext("/services lists no service: /details and /browse were not checked."))
        return
    step("details", lambda: sanar_vaccination.details(credential, service_id=services[0].id))
    location = connection_check.clinic_location()
    step(
        "browse",
        lambda: sanar_vaccination.browse(
            credential, date=timezone.localdate(), location=location, service_ids=[services[0].id]
        ),
    )


def _walk_sandicare(credential, report, step) -> None:
    """Sandicare's only endpoint enrolls: what the connection check proves is all there is."""
    result = connection_check.check_connection(credential)
    endpoint = report.endpoint("connection_check")
    endpoint.statuses.append(gettext("checked") if result.ok else gettext("failed"))
    if not result.ok:
        endpoint.failure = result.problem
    report.notes.append(
        gettext("Sandicare has no read-only endpoint: its answer shape is checked on the first enrollment.")
    )
    report.notes.append(result.summary)


WALKS = {
    Partner.Code.SANAR_VIDEO: _walk_sanar_video,
    Partner.Code.SANAR_VACCINATION: _walk_sanar_vaccination,
    Partner.Code.SANDICARE: _walk_sandicare,
}
