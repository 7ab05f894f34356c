"""Probes for load balancers and orchestrators: no login, no session, no secrets, cheap."""

import hmac
import ipaddress

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from monitoring import health, metrics


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """The process answers requests. Touches nothing else, so a database outage never restarts it."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readyz(request):
    """Ready for traffic: database, migrations and broker answer (503 otherwise).

    Partner credentials are listed for the operator but never make the portal unready.
    """
    checks = health.readiness()
    ready = all(result.ok for result in checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {name: result.as_dict() for name, result in checks.items()},
    }
    if checks["database"].ok and checks["migrations"].ok:
        try:
            body["partner_credentials"] = health.partner_credentials()
        except Exception as exc:  # noqa: BLE001 - informational only
            body["partner_credentials"] = {"error": type(exc).__name__}
    return JsonResponse(body, status=200 if ready else 503)


def _may_scrape(request) -> bool:
    """A bearer token equal to ``METRICS_TOKEN``, or a peer address in ``METRICS_ALLOWED_NETWORKS``.

    The peer is ``REMOTE_ADDR``, never ``X-Forwarded-For``: a header anyone can write."""
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and offered and hmac.compare_digest(offered.encode(), token.encode()):
        return True
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in ipaddress.ip_network(network, strict=False) for network in settings.METRICS_ALLOWED_NETWORKS)


@login_not_required
@never_cache
@require_safe
def metrics_view(request):
    """Prometheus text format, for a scraper with the token or on an allowed network (403 otherwise)."""
    if not _may_scrape(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(generate_latest(metrics.registry()), content_type=CONTENT_TYPE_LATEST)
