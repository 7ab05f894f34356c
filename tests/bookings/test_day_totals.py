"""The day totals the database keeps always add up to the same totals as the bookings themselves."""

from datetime import timedelta
from decimal import Decimal

import pgtrigger
import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookings import day_totals, selectors
from bookings.filters import BookingFilter
from bookings.models import Booking, BookingDayTotal
from bookings.states import Status
from partners.models import Partner
from tests.factories import booking_fields, get_partner, make_booking

pytestmark = pytest.mark.django_db
PARTNERS = [Partner.Code.SANAR_VIDEO, Partner.Code.SANDICARE]
STATUSES = [Status.AWAITING_PAYMENT, Status.RECONCILED, Status.FAILED]
bookings = st.fixed_dictionaries(
    {
        "partner": st.sampled_from(PARTNERS),
        "status": st.sampled_from(STATUSES),
        "currency": st.sampled_from(["SAR", "USD", ""]),
        "amount": st.none() | st.decimals(min_value=0, max_value=9999, places=2, allow_nan=False),
        "hours_ago": st.integers(min_value=0, max_value=24 * 4),
    }
)
changes = st.lists(
    st.tuples(
        st.sampled_from(["status", "amount", "currency", "delete", "bulk_status"]),
        st.integers(min_value=0, max_value=50),
        st.sampled_from(STATUSES),
    ),
    max_size=12,
)
queries = st.fixed_dictionaries(
    {},
    optional={
        "partner": st.sampled_from(PARTNERS),
        "status": st.lists(st.sampled_from(STATUSES), min_size=1, max_size=2),
        "created_from": st.integers(min_value=0, max_value=4),
        "created_to": st.integers(min_value=0, max_value=4),
    },
)


def _create(spec: dict) -> Booking:
    created_at = timezone.now() - timedelta(hours=spec["hours_ago"])
    fields = {key: value for key, value in spec.items() if key not in ("partner", "hours_ago")}
    return make_booking(partner=get_partner(spec["partner"]), created_at=created_at, **fields)


def _apply(change: tuple, rows: list[Booking]) -> None:
    kind, index, status = change
    if not rows:
        return
    booking = rows[index % len(rows)]
    if kind == "status":
        booking.status = status
        booking.save(update_fields=["status"])
    elif kind == "amount":
        Booking.objects.filter(pk=booking.pk).update(amount=None if booking.amount else Decimal("12.34"))
    elif kind == "currency":
        Booking.objects.filter(pk=booking.pk).update(currency="AED")
    elif kind == "delete":
        Booking.objects.filter(pk=booking.pk).delete()
        rows.remove(booking)
    else:
        Booking.objects.filter(pk__in=[row.pk for row in rows[index % len(rows) :]]).update(status=status)


def _query(spec: dict) -> MultiValueDict:
    today = timezone.localdate()
    data = MultiValueDict()
    for key, value in spec.items():
        if key.startswith("created_"):
            data[key] = (today - timedelta(days=value)).isoformat()
        elif key == "status":
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def _both_ways(data: MultiValueDict) -> tuple[list[dict], list[dict]]:
    filterset = BookingFilter(data, queryset=Booking.objects.all())
    assert filterset.is_valid(), filterset.errors
    kept = filterset.day_totals_filter()
    assert kept is not None
    return selectors.booking_totals(filterset.qs, day_totals=kept), selectors.booking_totals(filterset.qs)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(created=st.lists(bookings, min_size=1, max_size=8), changed=changes, query=queries)
def test_day_totals_equal_the_bookings_totals_after_any_changes(created, changed, query):
    with transaction.atomic():
        rows = [_create(spec) for spec in created]
        Booking.objects.bulk_create([Booking(**booking_fields(partner=get_partner())) for _ in range(3)])
        for change in changed:
            _apply(change, rows)
        from_days, live = _both_ways(_query(query))
        assert from_days == live
        transaction.set_rollback(True)


def test_the_list_reads_its_totals_from_the_day_totals_unless_a_filter_needs_the_bookings(client, finance_user):
    make_booking(amount="90.00")
    client.force_login(finance_user)
    for query, from_days in [({}, True), ({"partner": "sanar_video", "status": "awaiting_payment"}, True),
                             ({"q": "Patient"}, False), ({"amount_min": "10"}, False)]:  # fmt: skip
        with override_settings(DEBUG=True):
            connection.queries_log.clear()
            response = client.get("/bookings/", query)
            sql = " ".join(entry["sql"] for entry in connection.queries)
        assert ("bookings_bookingdaytotal" in sql) is from_days, query
        assert [(row["count"], row["total"]) for row in response.context["totals"].booked] == [(1, Decimal("90.00"))]


def test_the_triggers_declared_on_the_booking_are_the_ones_installed():
    for model, trigger in pgtrigger.registered():
        assert trigger.get_installation_status(model)[0] == "INSTALLED", trigger.name


def test_truncating_the_bookings_empties_the_day_totals():
    make_booking()
    assert BookingDayTotal.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a TRUNCATE waits for no deferred foreign key check
        cursor.execute("TRUNCATE bookings_bookingevent, bookings_booking CASCADE")
    assert not BookingDayTotal.objects.exists()


def test_a_new_time_zone_rebuilds_the_days_and_until_then_totals_are_added_up_live():
    booking = make_booking(created_at=timezone.now().replace(hour=22, minute=30))  # 22:30 UTC is tomorrow in Riyadh
    riyadh_day = timezone.localdate(booking.created_at)
    assert BookingDayTotal.objects.get(bookings=1).day == riyadh_day
    try:
        with override_settings(TIME_ZONE="UTC"):
            assert not day_totals.usable()
            day_totals.rebuild()
            assert day_totals.usable()
            assert BookingDayTotal.objects.get(bookings=1).day == booking.created_at.date()
            # The triggers count a new booking in the new zone too.
            make_booking(partner=get_partner(Partner.Code.SANDICARE), created_at=booking.created_at)
            assert BookingDayTotal.objects.get(partner__code=Partner.Code.SANDICARE).day == booking.created_at.date()
    finally:
        day_totals.rebuild()
    assert day_totals.usable()
    assert BookingDayTotal.objects.get(partner=booking.partner).day == riyadh_day
