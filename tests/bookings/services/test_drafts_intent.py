"""One staff intent, one booking: the form's key makes a repeated post find the same draft."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from bookings.models import Booking
from bookings.services.drafts import booking_create_draft, intent_from_selection
from partners.models import Partner

pytestmark = pytest.mark.django_db

VIDEO = Partner.Code.SANAR_VIDEO


def test_the_same_intent_returns_the_same_draft(operations_user, sanar_video_credential):
    intent = uuid.uuid4()
    first = booking_create_draft(partner_code=VIDEO, actor=operations_user, intent=intent)
    again = booking_create_draft(partner_code=VIDEO, actor=operations_user, intent=intent)
    assert again.pk == first.pk and Booking.objects.count() == 1
    assert first.idempotency_key == intent


def test_without_an_intent_each_call_starts_a_draft(operations_user, sanar_video_credential):
    booking_create_draft(partner_code=VIDEO, actor=operations_user)
    booking_create_draft(partner_code=VIDEO, actor=operations_user)
    assert Booking.objects.count() == 2


def test_another_persons_intent_never_reaches_their_booking(operations_user, finance_user, sanar_video_credential):
    intent = uuid.uuid4()
    booking_create_draft(partner_code=VIDEO, actor=finance_user, intent=intent)
    with pytest.raises(ValidationError, match="already used"):
        booking_create_draft(partner_code=VIDEO, actor=operations_user, intent=intent)
    assert Booking.objects.count() == 1


def test_a_post_without_a_key_is_keyed_by_who_asks_what_today(operations_user, finance_user):
    selection = {"email": "patient@example.org", "sandicare_service": "nutrition"}
    key = intent_from_selection(actor=operations_user, partner_code=Partner.Code.SANDICARE, selection=selection)
    assert key == intent_from_selection(
        actor=operations_user, partner_code=Partner.Code.SANDICARE, selection=dict(reversed(selection.items()))
    )
    assert key != intent_from_selection(actor=finance_user, partner_code=Partner.Code.SANDICARE, selection=selection)
    assert key != intent_from_selection(
        actor=operations_user,
        partner_code=Partner.Code.SANDICARE,
        selection={**selection, "sandicare_service": "psychology"},
    )
