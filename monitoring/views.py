"""Probes for load balancers and orchestrators: no login, no session, no secrets, cheap."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from monitoring import health


@login_not_required
@never_cache
def healthz(request):
    """The process answers requests. Touches nothing else, so a database outage never restarts it."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
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
