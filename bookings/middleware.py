"""A deadlock or serialization failure that outlived the service's own retry: a clear page, not a 500."""

import logging

from django.shortcuts import render

from bookings.services.conflicts import is_conflict

logger = logging.getLogger(__name__)


class DatabaseConflictMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_conflict(exception):
            return None
        logger.warning("%s %s: database conflict after a retry: %s", request.method, request.path, exception)
        return render(request, "bookings/conflict.html", status=409)
