"""The booking state machine: the states and the only transitions allowed between them.

    draft ──submit──▶ queued ──claim──▶ submitting ──▶ awaiting_payment (Sanar) / enrolled (Sandicare)
      ▲                 ▲                  │
      │                 └──safe retry──────┤ (connect failure, 5000, 503: partner did not act)
      │                                    ├──▶ slot_unavailable ──▶ draft (pick another slot)
      ├────────────── failed ◀─────────────┤ (1001/400, 404, 1004): staff fix the form
      │                                    ├──▶ needs_attention (credentials, retries exhausted) ──retry──▶ queued
      │                                    └──▶ verify_with_partner (outcome unknown) ──manual──▶ awaiting_payment / enrolled / failed
    draft / failed / slot_unavailable / needs_attention ──▶ cancelled
    awaiting_payment / enrolled ──▶ reconciled (finance)

Only ``bookings.services.transitions`` assigns ``Booking.status``.
"""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    QUEUED = "queued", "Queued"
    SUBMITTING = "submitting", "Submitting"
    AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
    ENROLLED = "enrolled", "Enrolled"
    SLOT_UNAVAILABLE = "slot_unavailable", "Slot unavailable"
    VERIFY_WITH_PARTNER = "verify_with_partner", "Verify with partner"
    NEEDS_ATTENTION = "needs_attention", "Needs attention"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    RECONCILED = "reconciled", "Reconciled"


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
    Status.NEEDS_ATTENTION: frozenset({Status.QUEUED, Status.FAILED, Status.CANCELLED}),
    Status.VERIFY_WITH_PARTNER: frozenset({Status.AWAITING_PAYMENT, Status.ENROLLED, Status.FAILED}),
    Status.AWAITING_PAYMENT: frozenset({Status.RECONCILED}),
    Status.ENROLLED: frozenset({Status.RECONCILED}),
    Status.CANCELLED: frozenset(),
    Status.RECONCILED: frozenset(),
}

# States in which a person has to act; shown on the dashboard.
NEEDS_A_PERSON = (Status.NEEDS_ATTENTION, Status.VERIFY_WITH_PARTNER)
# States whose selection staff may still edit.
EDITABLE = (Status.DRAFT,)
# States in which a booking has reached the partner successfully.
BOOKED = (Status.AWAITING_PAYMENT, Status.ENROLLED, Status.RECONCILED)


def can_transition(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())
