"""Which credential the portal uses for a partner, and its health flag.

Health is written with ``QuerySet.update()`` on the health columns only, so a call that
fails authentication never overwrites what an admin is saving in the form at that moment.
"""

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from partners.errors import NoActiveCredential
from partners.models import Credential, Partner

FAILING_REASON_MAX = Credential._meta.get_field("failing_reason").max_length


def active_credential(partner_code: str, environment: str | None = None) -> Credential:
    """The active credential of ``partner_code`` in ``environment`` (``settings.PARTNER_ENVIRONMENT``)."""
    environment = environment or settings.PARTNER_ENVIRONMENT
    try:
        return Credential.objects.select_related("partner").get(
            partner__code=partner_code, environment=environment, is_active=True
        )
    except Credential.DoesNotExist:
        label = Partner.Code(partner_code).label if partner_code in Partner.Code.values else partner_code
        raise NoActiveCredential(
            f"No active {label} credential for the {environment} environment: a partner admin must add or activate one."
        ) from None


def mark_failing(credential: Credential, reason: str) -> None:
    """Flag the credential; ``failing_since`` keeps the time of the first failure."""
    now = timezone.now()
    reason = reason[:FAILING_REASON_MAX]
    Credential.objects.filter(pk=credential.pk).update(
        is_failing=True, failing_reason=reason, failing_since=Coalesce(F("failing_since"), now)
    )
    credential.is_failing = True
    credential.failing_reason = reason
    credential.failing_since = credential.failing_since or now


def mark_healthy(credential: Credential) -> None:
    Credential.objects.filter(pk=credential.pk).update(is_failing=False, failing_reason="", failing_since=None)
    credential.is_failing = False
    credential.failing_reason = ""
    credential.failing_since = None
