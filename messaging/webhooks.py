"""The delivery-receipt webhook a provider posts to: no login, no CSRF token (a provider has
neither), so the URL's own secret (``?token=``, ``MESSAGE_RECEIPT_TOKEN``) is the check."""

import hmac
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging.backends import backend_for
from messaging.receipts import receipt_store

MAX_RECEIPT_BYTES = 10_000


@csrf_exempt
@login_not_required
@require_POST
def receipt(request, channel: str):
    token = settings.MESSAGE_RECEIPT_TOKEN
    offered = request.GET.get("token", "")
    if not token or not hmac.compare_digest(offered.encode(), token.encode()):
        return HttpResponse(status=403)
    backend = backend_for(channel)
    if backend is None or _declared_length(request) > MAX_RECEIPT_BYTES:
        return HttpResponse(status=400)
    found = backend.read_receipt(_fields(request))
    if found is None:
        return JsonResponse({"ok": False, "error": "not a delivery receipt"}, status=400)
    message = receipt_store(channel=channel, provider=backend.provider, receipt=found)
    if message is None:
        return JsonResponse({"ok": False, "error": "unknown message"}, status=404)
    return JsonResponse({"ok": True, "status": message.status})


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return MAX_RECEIPT_BYTES + 1


def _fields(request) -> dict:
    """The receipt's fields: a JSON object, or form fields (the provider's encoding is not documented)."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return {}
        return data if isinstance(data, dict) else {}
    return request.POST.dict()  # form fields (a multipart body is read as a form too)
