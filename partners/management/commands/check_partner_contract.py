"""``manage.py check_partner_contract``: the partners' read-only endpoints against the shapes the portal reads."""

import json

from django.core.management.base import BaseCommand, CommandError

from partners import credentials
from partners.contract import runs
from partners.contract.report import lines
from partners.errors import NoActiveCredential
from partners.models import Credential, Partner


class Command(BaseCommand):
    help = (
        "Walk every read-only endpoint of a partner in flow order with its active credential (never a create "
        "call), compare each answer with the shape the portal reads, save redacted samples under var/, and exit "
        "non-zero if a difference breaks a flow."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partner", choices=Partner.Code.values, help="One partner; default: all three.")
        parser.add_argument("--environment", choices=Credential.Environment.values)
        parser.add_argument("--json", dest="as_json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, partner=None, environment=None, as_json=False, **options):
        breaking = False
        for code in [partner] if partner else Partner.Code.values:
            try:
                credential = credentials.active_credential(code, environment)
            except NoActiveCredential as error:
                if partner:
                    raise CommandError(str(error)) from None
                self.stdout.write(str(error))
                continue
            run = runs.run_check(credential)
            breaking |= run.breaking
            self.stdout.write(_dumps(run.report) if as_json else "\n".join(lines(run.report)))
        if breaking:
            raise CommandError("A difference breaks a flow: see the report above.")


def _dumps(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False)
