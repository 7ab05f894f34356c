"""Probe URLs answered before the host check and the HTTPS redirect; request timing.

Load balancers, ``docker compose``'s health check and Prometheus reach a process by its IP or
container name over plain HTTP, not through ``https://<ALLOWED_HOSTS>``: ``SecurityMiddleware``
would redirect them and ``CommonMiddleware`` would refuse their Host header. These answers
carry no link and no cookie, so the Host header and the scheme do not matter to them.
"""

import time
from functools import cached_property

from django.urls import resolve, reverse

from monitoring import metrics

PROBE_URL_NAMES = ("monitoring:healthz", "monitoring:readyz", "monitoring:metrics")


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def probe_views(self) -> dict:
        """``{path: view}``, built on the first request (the URLconf is not loaded before)."""
        paths = [reverse(name) for name in PROBE_URL_NAMES]
        return {path: resolve(path).func for path in paths}

    def __call__(self, request):
        view = self.probe_views.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)


class RequestMetricsMiddleware:
    """Times every request but the probes, labelled by URL name (bounded, unlike paths)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None else "unresolved"
        metrics.REQUEST_DURATION.labels(view, request.method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response
