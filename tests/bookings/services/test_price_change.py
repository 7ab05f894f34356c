"""The amount quoted at confirm is kept beside the partner's booked amount; a difference is flagged."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bookings.models import Booking
from bookings.services.drafts import booking_update_selection
from bookings.services.sending import booking_send
from bookings.states import Status
from partners.models import Partner
from tests.bookings.services import test_submission as submission_cases
from tests.bookings.services.test_submission import (
    FakeConfirmation,
    FakeMoney,
    queued,
    script,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def video_booking(operations_user, sanar_video_credential):
    return submission_cases.video_booking.__wrapped__(operations_user, sanar_video_credential)


def sent_with(booking, operations_user, monkeypatch, django_capture_on_commit_callbacks, answer) -> Booking:
    booking = booking_update_selection(
        booking_id=booking.pk, actor=operations_user, amount=Decimal("75.00"), currency="SAR"
    )
    script(monkeypatch, Partner.Code.SANAR_VIDEO, answer)
    queued(booking, operations_user, django_capture_on_commit_callbacks)
    booking_send(booking_id=booking.pk, retries_done=0, max_retries=2)
    return Booking.objects.get(pk=booking.pk)


def test_a_partner_amount_unlike_the_quote_is_kept_beside_it_and_flagged(
    video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks, ops_client, finance_user, client
):
    answer = FakeConfirmation(amount=FakeMoney(Decimal("120.50"), "SAR"))
    booking = sent_with(video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks, answer)

    assert booking.status == Status.AWAITING_PAYMENT
    assert (booking.quoted_amount, booking.quoted_currency) == (Decimal("75.00"), "SAR")
    assert (booking.amount, booking.currency) == (Decimal("120.50"), "SAR")
    assert booking.price_changed is True and booking.price_difference == Decimal("45.50")
    assert list(Booking.objects.filter(price_changed=True)) == [booking]

    status = ops_client.get(reverse("bookings:status", args=[booking.pk])).content.decode()
    record = ops_client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    for page in (status, record):
        assert "another amount than the one quoted at confirm" in page
        shown = page.split('class="alert alert-warning price-change"')[1].split("</div>")[0]
        assert "75.00" in shown and "120.50" in shown and "45.50" in shown, shown

    client.force_login(finance_user)
    flagged = client.get(reverse("bookings:list"), {"price_changed": "true"}).content.decode()
    assert str(booking) in flagged and "Price changed" in flagged
    assert str(booking) not in client.get(reverse("bookings:list"), {"price_changed": "false"}).content.decode()
    export = b"".join(client.get(reverse("bookings:export"), {"price_changed": "true"}).streaming_content).decode()
    header, row = export.splitlines()[:2]
    assert dict(zip(header.split(","), row.split(",")))["price_changed"] == "yes"


def test_the_same_amount_is_not_flagged(
    video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks, ops_client
):
    answer = FakeConfirmation(amount=FakeMoney(Decimal("75.00"), "SAR"))
    booking = sent_with(video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks, answer)
    assert booking.quoted_amount == booking.amount == Decimal("75.00")
    assert booking.price_changed is False
    status = ops_client.get(reverse("bookings:status", args=[booking.pk])).content.decode()
    assert "quoted at confirm" not in status


def test_a_draft_is_never_flagged(video_booking, operations_user):
    booking = booking_update_selection(
        booking_id=video_booking.pk, actor=operations_user, amount=Decimal("75.00"), currency="SAR"
    )
    booking.refresh_from_db()
    assert booking.quoted_amount is None and booking.price_changed is False
