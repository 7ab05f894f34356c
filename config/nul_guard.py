"""A request carrying a NUL character is answered 400 before any view sees it.

PostgreSQL text cannot hold NUL: a NUL in a search box, a filter or a login name reached a
query or an insert and failed there as a ``DataError`` (a 500). No browser form or link of
the portal ever sends one, so refusing the whole request is the one general answer.
"""

from django.core.exceptions import BadRequest
from django.http import QueryDict

NUL = "\x00"


def _holds_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Django parses a form body for POST only; DRF and the views reuse what is parsed here.
        if (
            NUL in request.path_info
            or _holds_nul(request.GET)
            or (request.method == "POST" and _holds_nul(request.POST))
        ):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)
