"""A partner that stopped answering, read from the call log.

A run of partner failures (``PARTNER_FAILURES``: 5000/503, timeouts, no connection, an
unreadable answer) ends at any answer: a success, and also an answer about the request or a
refused credential, since the partner answered those. A partner is *out* when its current run
has at least ``PARTNER_OUTAGE_FAILURES`` failures in the last ``PARTNER_OUTAGE_WINDOW_MINUTES``;
it has been failing since the first failure of that run. Every staff page shows the outages, so
they are read with one query for all partners and kept in the cache for
``PARTNER_OUTAGE_CACHE_SECONDS``.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DateTimeField, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from partners.models import Partner, UpstreamCall
from partners.models.upstream_call import PARTNER_FAILURES

CACHE_KEY = "partners:outages"
_BEFORE_ANY_CALL = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Outage:
    partner: Partner
    since: datetime  # the first failure of the current run
    recent_failures: int  # failures of the run inside the window

    @property
    def began_today(self) -> bool:
        return timezone.localdate(self.since) == timezone.localdate()


def _last_answer(partner_ref) -> Coalesce:
    """When the partner last answered (any outcome but a partner failure); long ago if never."""
    answered = (
        UpstreamCall.objects.filter(partner=partner_ref)
        .exclude(outcome__in=PARTNER_FAILURES)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return Coalesce(Subquery(answered), Value(_BEFORE_ANY_CALL), output_field=DateTimeField())


def _failures_after(partner_ref, after) -> QuerySet[UpstreamCall]:
    return UpstreamCall.objects.filter(partner=partner_ref, outcome__in=PARTNER_FAILURES, created_at__gt=after)


def _first_failure(partner_ref, after) -> "QuerySet[UpstreamCall, datetime]":
    # The first row in index order, not MIN(): PostgreSQL estimates a LIMIT 1 as cheap as it is,
    # where an aggregate over a run of unknown length made it compile the query (JIT) each time.
    return _failures_after(partner_ref, after).order_by("created_at").values_list("created_at", flat=True)[:1]


def failing_since(partner: Partner) -> datetime | None:
    """When the partner's current run of failures began; None when its last call was answered."""
    return _first_failure(partner.pk, _last_answer(partner.pk)).first()


def partner_outages(*, now: datetime | None = None) -> list[Outage]:
    """The active partners that are out now, read in one query.

    Each subquery walks the ``(partner, -created_at)`` index from the partner's last answer on,
    never the whole call log.
    """
    now = now or timezone.now()
    window_start = now - timedelta(minutes=settings.PARTNER_OUTAGE_WINDOW_MINUTES)
    last_answer = _last_answer(OuterRef(OuterRef("pk")))
    recent_run = (
        _failures_after(OuterRef("pk"), last_answer)
        .filter(created_at__gte=window_start)
        .order_by()
        .values("partner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    partners = (
        Partner.objects.filter(is_active=True)
        .annotate(recent_failures=Subquery(recent_run, output_field=IntegerField()))
        .filter(recent_failures__gte=settings.PARTNER_OUTAGE_FAILURES)
        .annotate(failing_since=Subquery(_first_failure(OuterRef("pk"), last_answer)))
    )
    return [
        Outage(partner=partner, since=partner.failing_since, recent_failures=partner.recent_failures)
        for partner in partners
    ]


def current_outages() -> list[Outage]:
    """``partner_outages``, cached: what the banner on every staff page reads."""
    found: list[Outage] = cache.get_or_set(CACHE_KEY, partner_outages, settings.PARTNER_OUTAGE_CACHE_SECONDS) or []
    return found
