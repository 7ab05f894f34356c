"""The booking state machine: the states and the only transitions allowed between them.

    draft ──submit──▶ queued ──claim──▶ submitting ──▶ awaiting_payment (Sanar) / enrolled (Sandicare)
      ▲                 ▲                  │
      │                 └──safe retry──────┤ (connect failure, 5000, 503: partner did not act)
      │                                    ├──▶ slot_unavailable ──▶ draft (pick another slot)
      ├────────────── failed ◀─────────────┤ (1001/400, 404, 1004): staff fix the form
      │                                    ├──▶ needs_attention (credentials, retries exhausted) ──retry──▶ queued
      ├──────────────────── change the slot or provider ◀── needs_attention
      │                                    └──▶ verify_with_partner (outcome unknown) ──manual──▶ awaiting_payment / enrolled / failed
    draft / failed / slot_unavailable / needs_attention ──▶ cancelled
    awaiting_payment / enrolled ──▶ reconciled (finance)

Only ``bookings.services.transitions`` assigns ``Booking.status``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Queued")
    SUBMITTING = "submitting", _("Submitting")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    ENROLLED = "enrolled", _("Enrolled")
    SLOT_UNAVAILABLE = "slot_unavailable", _("Slot unavailable")
    VERIFY_WITH_PARTNER = "verify_with_partner", _("Verify with partner")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    RECONCILED = "reconciled", _("Reconciled")


ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.QUEUED, Status.CANCELLED}),
    Status.QUEUED: frozenset({Status.SUBMITTING, Status.NEEDS_ATTENTION}),
    Status.SUBMITTING: frozenset(
        {
            Status.QUEUED,
            Status.AWAITING_PAYMENT,
            Status.ENROLLED,
            Status.SLOT_UNAVAILABLE,
            Status.VERIFY_WITH_PARTNER,
            Status.NEEDS_ATTENTION,
            Status.FAILED,
        }
    ),
    Status.SLOT_UNAVAILABLE: frozenset({Status.DRAFT, Status.CANCELLED}),
    Status.FAILED: frozenset({Status.DRAFT, Status.CANCELLED}),
    Status.NEEDS_ATTENTION: frozenset({Status.QUEUED, Status.DRAFT, Status.FAILED, Status.CANCELLED}),
    Status.VERIFY_WITH_PARTNER: frozenset({Status.AWAITING_PAYMENT, Status.ENROLLED, Status.FAILED}),
    Status.AWAITING_PAYMENT: frozenset({Status.RECONCILED}),
    Status.ENROLLED: frozenset({Status.RECONCILED}),
    Status.CANCELLED: frozenset(),
    Status.RECONCILED: frozenset(),
}

# Groups of states. Each rule about "which states" has its home here, beside the table.

# A person has to act: shown on the dashboard.
NEEDS_A_PERSON = (Status.NEEDS_ATTENTION, Status.VERIFY_WITH_PARTNER)
# The partner sent it back for a change: editing it returns it to draft.
REOPENABLE = (Status.SLOT_UNAVAILABLE, Status.FAILED)
# Staff may still change the selection (a draft, or one the partner sent back).
EDITABLE = (Status.DRAFT, *REOPENABLE)
# Staff may cancel it: the partner has no booking for it (needs attention: it certainly did not act).
CANCELLABLE = (*EDITABLE, Status.NEEDS_ATTENTION)
# On its way to the partner: the status page keeps polling until it leaves these.
IN_FLIGHT = (Status.QUEUED, Status.SUBMITTING)
# A partner answer to a create call may still be stored.
AWAITING_ANSWER = (Status.SUBMITTING, Status.VERIFY_WITH_PARTNER)
# The partner booked it and finance has yet to see the money.
RECONCILABLE = (Status.AWAITING_PAYMENT, Status.ENROLLED)
# The partner has the booking: what finance's totals count and add up by default; every other
# state is counted beside them, never added to the amounts.
BOOKED = (*RECONCILABLE, Status.RECONCILED)
# Never reached the partner, or the partner refused it: not an earlier enrollment to warn about.
NOT_ENROLLED = (Status.DRAFT, Status.FAILED, Status.CANCELLED)


def can_transition(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())
