"""The safety net for messages: run by beat. A queued message whose task the broker lost is
queued again (the claim makes a second task harmless); a message whose worker died during the
provider call is failed, not sent again, since the provider may have taken it."""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from messaging.models import Message, MessageAttempt


def messages_sweep(*, requeue: Callable[[int], object], now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    before = now - datetime.timedelta(seconds=settings.MESSAGE_STUCK_AFTER_SECONDS)
    # Waiting longer than any retry backoff, counted from the last attempt (or the request).
    stuck = (
        Message.objects.filter(status=Message.Status.QUEUED, created_at__lt=before)
        .annotate(last_try=Max("attempt_log__started_at"))
        .filter(Q(last_try__isnull=True) | Q(last_try__lt=before))
    )
    requeued = 0
    for message_id in stuck.values_list("pk", flat=True):
        requeue(message_id)
        requeued += 1
    given_up = 0
    for attempt_id in MessageAttempt.objects.filter(
        outcome=MessageAttempt.Outcome.SENDING, started_at__lt=before, message__status=Message.Status.SENDING
    ).values_list("pk", flat=True):
        given_up += _give_up(attempt_id, before)
    return {"requeued": requeued, "given_up": given_up}


def _give_up(attempt_id: int, before: datetime.datetime) -> int:
    with transaction.atomic():
        attempt = MessageAttempt.objects.select_for_update(of=("self",)).get(pk=attempt_id)
        message = Message.objects.select_for_update(of=("self",)).get(pk=attempt.message_id)
        if message.status != Message.Status.SENDING or attempt.outcome != MessageAttempt.Outcome.SENDING:
            return 0
        attempt.outcome = MessageAttempt.Outcome.FAILED
        attempt.error = gettext_noop("The send never reported back (worker lost?): it may have been sent.")
        attempt.save(update_fields=["outcome", "error"])
        message.status = Message.Status.FAILED
        message.save(update_fields=["status"])
    return 1
