"""The daily contract check: every active credential of the portal's environment."""

import logging

from django.conf import settings

from partners.contract import runs
from partners.models import Credential

logger = logging.getLogger(__name__)


def check_every_active_credential() -> list[dict]:
    results = []
    credentials = Credential.objects.filter(is_active=True, environment=settings.PARTNER_ENVIRONMENT)
    for credential in credentials.select_related("partner"):
        run = runs.run_check(credential)
        if run.breaking:
            logger.warning("contract drift breaks a flow: %s", credential)
        results.append({"credential": credential.pk, "partner": credential.partner.code, "breaking": run.breaking})
    return results
