"""Delivery receipts: a provider's word that a message reached the phone, or could not.

A receipt settles only a message that was sent: sent → delivered, or sent → failed (the
network could not deliver it). A receipt about a message not known yet is answered "not found",
so the provider posts it again later (Unifonic retries a DLR up to 6 times over 72 hours).
"""

from django.db import transaction
from django.utils import timezone

from messaging.models import Message
from partners.providers import Receipt


def receipt_store(*, channel: str, provider: str, receipt: Receipt) -> Message | None:
    """Apply ``receipt`` to the message it names; None when no message of ours has that id."""
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .filter(channel=channel, provider=provider, provider_id=receipt.provider_id)
            .first()
        )
        if message is None:
            return None
        if message.status != Message.Status.SENT:
            return message  # settled already (a receipt sent twice), or not sent by us yet
        message.receipt, message.receipt_at = receipt.word, timezone.now()
        if receipt.delivered is True:
            message.status = Message.Status.DELIVERED
        elif receipt.delivered is False:
            message.status = Message.Status.FAILED
        message.save(update_fields=["receipt", "receipt_at", "status"])
    return message
