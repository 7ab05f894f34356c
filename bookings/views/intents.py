"""The intent key a booking form carries: one per page load, so the same form posted again
(double click, posts racing each other, a reloaded POST) means the same booking.

``booking_create_draft(intent=…)`` turns the key into at most one booking (a unique column).
"""

import uuid

FIELD = "intent"


def new_intent() -> str:
    return str(uuid.uuid4())


def posted_intent(request) -> uuid.UUID | None:
    """The key the form carried; None when it is missing or not a key (hostile input included)."""
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def form_intent(request) -> str:
    """The key to put in the form being shown: the posted one when a form comes back with errors."""
    return str(posted_intent(request) or new_intent())
