"""``generate_bookings``: realistic bookings in bulk, each with the history that explains its status."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.utils import timezone

from bench.management.commands.generate_bookings import Command as GenerateBookings
from bookings.models import Booking, BookingDayTotal, BookingEvent
from bookings.states import Status, can_transition
from partners.models import Partner, UpstreamCall

pytestmark = pytest.mark.django_db


def generate(count: int, seed: int = 1, jobs: int = 1, **options) -> str:
    out = io.StringIO()
    call_command(GenerateBookings(), count=count, seed=seed, jobs=jobs, stdout=out, **options)
    return out.getvalue()


def generated_bookings() -> Counter:
    """What a seed decides about each booking; ids, references and times depend on when and in what order."""
    fields = ("partner__code", "status", "patient_name", "mobile", "amount", "currency", "submit_attempts")
    return Counter(Booking.objects.values_list(*fields))


def test_adds_the_bookings_with_portal_references_and_reports_the_rate(operations_user, finance_user):
    output = generate(300, batch_size=120)

    assert Booking.objects.count() == 300
    assert re.search(r"Generated 300 bookings, \d+ events and \d+ partner calls in .* bookings/s", output)
    for booking in Booking.objects.all():
        assert booking.reference == f"BK-{booking.pk:06d}"
    assert Booking.objects.exclude(created_by=operations_user).count() == 0


def test_the_mix_covers_every_partner_status_and_currency(operations_user, finance_user):
    generate(600)

    assert set(Booking.objects.values_list("partner__code", flat=True)) == set(Partner.Code.values)
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert {Status.AWAITING_PAYMENT, Status.ENROLLED, Status.RECONCILED, Status.DRAFT, Status.FAILED} <= statuses
    assert {"SAR", "USD"} <= set(Booking.objects.values_list("currency", flat=True))
    assert Booking.objects.filter(partner__code=Partner.Code.SANDICARE, amount__isnull=False).count() == 0
    retried = Booking.objects.annotate(calls=Count("upstream_calls")).filter(calls__gt=1)
    assert retried.exists(), "some bookings needed more than one attempt"


def test_each_history_is_a_valid_path_to_the_booking_status(operations_user, finance_user):
    generate(250, seed=7)

    now = timezone.now()
    events = BookingEvent.objects.order_by("booking_id", "created_at", "id")
    by_booking: dict[int, list[BookingEvent]] = {}
    for event in events:
        by_booking.setdefault(event.booking_id, []).append(event)
    for booking in Booking.objects.all():
        history = by_booking[booking.pk]
        assert history[0].to_status == Status.DRAFT and history[0].from_status == ""
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_status == before.to_status
            assert can_transition(before.to_status, after.to_status)
        assert history[-1].to_status == booking.status
        assert booking.status_changed_at == history[-1].created_at
        assert now - datetime.timedelta(days=91) <= booking.created_at <= now
        calls = list(UpstreamCall.objects.filter(booking=booking).order_by("attempt"))
        assert [call.attempt for call in calls] == list(range(1, len(calls) + 1))
        if booking.status in (Status.AWAITING_PAYMENT, Status.ENROLLED, Status.RECONCILED):
            assert calls[-1].outcome == UpstreamCall.Outcome.OK
            assert booking.upstream_booking_id or booking.enrollment_url
        if booking.status in (Status.DRAFT, Status.CANCELLED, Status.QUEUED):
            assert calls == []


def test_same_seed_same_bookings_and_runs_add_up(operations_user, finance_user):
    generate(80, seed=3)
    first = list(Booking.objects.order_by("pk").values_list("partner__code", "status", "patient_name", "amount"))
    generate(80, seed=3)

    assert Booking.objects.count() == 160
    second = list(Booking.objects.order_by("pk").values_list("partner__code", "status", "patient_name", "amount"))[80:]
    assert second == first


def test_zero_is_a_no_op():
    assert "Generated 0 bookings" in generate(0)
    assert Booking.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_processes_write_the_same_bookings_as_one_and_the_day_totals_add_up(operations_user, finance_user):
    generate(90, seed=5, batch_size=20, jobs=1)
    by_one = generated_bookings()
    calls, events = UpstreamCall.objects.count(), BookingEvent.objects.count()

    generate(90, seed=5, batch_size=20, jobs=3)

    assert generated_bookings() == by_one + by_one
    assert (UpstreamCall.objects.count(), BookingEvent.objects.count()) == (calls * 2, events * 2)
    day_totals = BookingDayTotal.objects.values_list("partner_id", "status").annotate(Sum("bookings"))
    bookings = Booking.objects.values_list("partner_id", "status").annotate(Count("id"))
    assert sorted(day_totals) == sorted(bookings)


def test_processes_are_refused_inside_a_transaction_they_could_not_see(operations_user):
    with pytest.raises(CommandError, match="autocommit"):
        generate(20, batch_size=10, jobs=2)
    assert Booking.objects.count() == 0
