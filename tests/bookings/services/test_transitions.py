import pytest
from django.db import transaction

from bookings.services.drafts import booking_create_draft
from bookings.services.transitions import TransitionNotAllowed, booking_transition, lock_booking
from bookings.states import ALLOWED_TRANSITIONS, Status
from partners.models import Partner

pytestmark = pytest.mark.django_db


def test_every_state_is_in_the_table():
    assert set(ALLOWED_TRANSITIONS) == set(Status.values)


def test_transition_records_who_why(operations_user):
    booking = booking_create_draft(partner_code=Partner.Code.SANAR_VIDEO, actor=operations_user)
    with transaction.atomic():
        booking_transition(booking=lock_booking(booking.pk), to=Status.CANCELLED, actor=operations_user, reason="typo")
    event = booking.events.last()
    assert (event.from_status, event.to_status, event.actor, event.reason) == (
        Status.DRAFT,
        Status.CANCELLED,
        operations_user,
        "typo",
    )


def test_disallowed_transition_raises(operations_user):
    booking = booking_create_draft(partner_code=Partner.Code.SANAR_VIDEO, actor=operations_user)
    with pytest.raises(TransitionNotAllowed), transaction.atomic():
        booking_transition(booking=lock_booking(booking.pk), to=Status.RECONCILED)


def test_transition_outside_a_transaction_is_refused(operations_user, django_db_blocker):
    booking = booking_create_draft(partner_code=Partner.Code.SANAR_VIDEO, actor=operations_user)
    connection = transaction.get_connection()
    saved = connection.in_atomic_block
    connection.in_atomic_block = False  # what a caller without atomic() looks like
    try:
        with pytest.raises(RuntimeError):
            booking_transition(booking=booking, to=Status.CANCELLED)
    finally:
        connection.in_atomic_block = saved
