"""Reads for partner health: today's bookings per partner, the last 24 h of calls, credentials.

A failed call is counted on the side it belongs to (``partners.models.upstream_call``): a
partner failure, an answer about the request, or a credential problem. Only partner failures
count against the partner's success rate.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from bookings.aggregates import Percentile
from bookings.models import Booking
from bookings.states import Status
from partners.models import Credential, Partner, UpstreamCall
from partners.models.upstream_call import CREDENTIAL_PROBLEMS, PARTNER_FAILURES, REQUEST_ANSWERS

WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class CallStats:
    """One partner's calls over a window, counted by whose side each outcome is on."""

    calls: int = 0
    ok: int = 0
    partner_failures: int = 0
    request_answers: int = 0
    credential_problems: int = 0
    p95_latency_ms: float | None = None

    @property
    def partner_success_percent(self) -> float | None:
        """Calls the partner answered (its answer about the request included), of all calls."""
        return 100 * (self.calls - self.partner_failures) / self.calls if self.calls else None


@dataclass
class PartnerHealth:
    partner: Partner
    today: list[tuple[str, str, int]]  # (status, label, count)
    stats: CallStats = field(default_factory=CallStats)

    @property
    def today_total(self) -> int:
        return sum(count for _, _, count in self.today)

    @property
    def last_failure(self) -> str:
        """The last partner failure's error text, or its outcome's label when it has none."""
        if not self.partner.last_failure_at:
            return ""
        if self.partner.last_failure:
            return self.partner.last_failure
        return UpstreamCall.Outcome(self.partner.last_failure_outcome).label

    @property
    def credential(self) -> Credential | None:
        return self.partner.active_credentials[0] if self.partner.active_credentials else None


def partner_health(*, now: datetime | None = None) -> list[PartnerHealth]:
    """Per active partner: today's bookings by status, the last 24 h of calls, last failure, credential."""
    now = now or timezone.now()
    failures = UpstreamCall.objects.filter(partner=OuterRef("pk"), outcome__in=PARTNER_FAILURES)
    failures = failures.order_by("-created_at", "-id")
    accepted = UpstreamCall.objects.filter(credential=OuterRef("pk"), outcome=UpstreamCall.Outcome.OK)
    credentials = Credential.objects.filter(is_active=True, environment=settings.PARTNER_ENVIRONMENT).annotate(
        last_accepted_at=Subquery(accepted.order_by("-created_at").values("created_at")[:1])
    )
    partners = (
        Partner.objects.filter(is_active=True)
        .annotate(
            last_failure_at=Subquery(failures.values("created_at")[:1]),
            last_failure_outcome=Subquery(failures.values("outcome")[:1]),
            last_failure=Subquery(failures.values("error")[:1]),
        )
        .prefetch_related(Prefetch("credentials", queryset=credentials, to_attr="active_credentials"))
    )
    today = _today_counts_by_partner(now)
    stats = upstream_call_stats(since=now - WINDOW)
    return [
        PartnerHealth(partner=partner, today=today.get(partner.pk, []), stats=stats.get(partner.pk, CallStats()))
        for partner in partners
    ]


def _today_counts_by_partner(now: datetime) -> dict[int, list[tuple[str, str, int]]]:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        Booking.objects.filter(created_at__gte=start)
        .values_list("partner_id", "status")
        .annotate(count=Count("id"))
        .order_by("partner_id", "status")
    )
    counts: dict[int, list[tuple[str, str, int]]] = {}
    for partner_id, status, count in rows:
        counts.setdefault(partner_id, []).append((status, Status(status).label, count))
    return counts


def upstream_call_stats(*, since: datetime) -> dict[int, CallStats]:
    """{partner id: its calls made since ``since``}."""
    rows = (
        UpstreamCall.objects.filter(created_at__gte=since)
        .values("partner_id")
        .annotate(
            calls=Count("id"),
            ok=Count("id", filter=Q(outcome=UpstreamCall.Outcome.OK)),
            partner_failures=Count("id", filter=Q(outcome__in=PARTNER_FAILURES)),
            request_answers=Count("id", filter=Q(outcome__in=REQUEST_ANSWERS)),
            credential_problems=Count("id", filter=Q(outcome__in=CREDENTIAL_PROBLEMS)),
            p95_latency_ms=Percentile("latency_ms", 0.95),
        )
        .order_by()
    )
    return {row.pop("partner_id"): CallStats(**row) for row in rows}
