"""The bookings list: filters, search, sorting, pagination, totals, constant query count."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.states import Status
from partners.models import Partner
from tests.factories import days_ago, get_partner, make_booking, make_bookings

pytestmark = pytest.mark.django_db
URL = reverse("bookings:list")


def refs(response) -> list[str]:
    return [str(booking) for booking in response.context["page"].object_list]


@pytest.fixture
def finance(client, finance_user):
    client.force_login(finance_user)
    return client


def test_filters_by_partner_and_several_statuses(finance):
    video = make_booking(status=Status.AWAITING_PAYMENT)
    failed = make_booking(status=Status.FAILED)
    make_booking(status=Status.DRAFT)
    kids = make_booking(partner=get_partner(Partner.Code.SANAR_VACCINATION))

    assert refs(finance.get(URL, {"partner": Partner.Code.SANAR_VACCINATION})) == [kids.reference]
    statuses = refs(finance.get(URL, {"status": [Status.AWAITING_PAYMENT, Status.FAILED], "partner": "sanar_video"}))
    assert sorted(statuses) == sorted([video.reference, failed.reference])


def test_filters_by_created_and_appointment_date_ranges(finance):
    old = make_booking(created_at=days_ago(10), appointment_date=datetime.date(2026, 5, 1))
    recent = make_booking(created_at=days_ago(1), appointment_date=datetime.date(2026, 5, 20))
    today = timezone.localdate()

    created = {"created_from": (today - datetime.timedelta(days=3)).isoformat(), "created_to": today.isoformat()}
    assert refs(finance.get(URL, created)) == [recent.reference]
    assert refs(finance.get(URL, {"created_to": (today - datetime.timedelta(days=5)).isoformat()})) == [old.reference]
    appointments = {"appointment_from": "2026-04-30", "appointment_to": "2026-05-01"}
    assert refs(finance.get(URL, appointments)) == [old.reference]


def test_filters_by_created_by_and_amount_range(finance, operations_user, django_user_model):
    other = django_user_model.objects.create_user(username="other-agent")
    mine = make_booking(created_by=operations_user, amount="150.00")
    make_booking(created_by=other, amount="150.00")
    make_booking(created_by=operations_user, amount="20.00")

    response = finance.get(URL, {"created_by": "ops", "amount_min": "100", "amount_max": "200"})
    assert refs(response) == [mine.reference]


@pytest.mark.parametrize(
    "field, term",
    [
        ("reference", None),
        ("upstream_booking_id", None),
        ("patient_name", "Layla Al"),
        ("email", "LAYLA@example"),
        ("mobile", "0551234567"),
    ],
)
def test_search_by_reference_partner_id_name_email_or_mobile(finance, field, term):
    wanted = make_booking(patient_name="Layla Al-Harbi", email="layla@example.com", mobile="+966551234567")
    make_booking()
    response = finance.get(URL, {"q": term or getattr(wanted, field)})
    assert refs(response) == [wanted.reference]


def test_sorting_by_amount_both_ways_and_pagination(finance):
    for amount in ("30.00", "10.00", "20.00"):
        make_booking(amount=amount)
    ascending = finance.get(URL, {"sort": "amount"}).context["page"].object_list
    assert [b.amount for b in ascending] == [Decimal("10.00"), Decimal("20.00"), Decimal("30.00")]
    descending = finance.get(URL, {"sort": "-amount"}).context["page"].object_list
    assert [b.amount for b in descending] == [Decimal("30.00"), Decimal("20.00"), Decimal("10.00")]

    make_bookings(55)
    page_two = finance.get(URL, {"page": 2})
    assert page_two.context["page"].number == 2
    assert len(page_two.context["page"].object_list) == 8
    assert page_two.context["page"].paginator.count == 58


def test_totals_per_partner_and_currency_never_across_currencies(finance):
    make_booking(amount="90.00", currency="SAR")
    make_booking(amount="10.50", currency="SAR", status=Status.RECONCILED)
    make_booking(amount="25.00", currency="USD")
    make_booking(partner=get_partner(Partner.Code.SANDICARE), amount="300.00", currency="MXN", status=Status.ENROLLED)
    make_booking(amount=None, currency="")

    response = finance.get(URL)
    totals = {
        (row["partner__name"], row["currency"]): (row["count"], row["total"])
        for row in response.context["totals"].booked
    }
    video, sandicare = get_partner().name, get_partner(Partner.Code.SANDICARE).name
    assert totals[(video, "SAR")] == (2, Decimal("100.50"))
    assert totals[(video, "USD")] == (1, Decimal("25.00"))
    assert totals[(sandicare, "MXN")] == (1, Decimal("300.00"))
    assert totals[(video, "")] == (1, None)
    # Totals follow the filters.
    filtered = finance.get(URL, {"amount_min": "50"})
    assert {(row["currency"], row["total"]) for row in filtered.context["totals"].booked} == {
        ("SAR", Decimal("90.00")),
        ("MXN", Decimal("300.00")),
    }


def test_totals_add_up_only_what_the_partner_has_and_count_the_other_states_beside(finance):
    """A draft with a chosen doctor carries a price: it is counted, never added to the amounts."""
    for status in (Status.AWAITING_PAYMENT, Status.AWAITING_PAYMENT, Status.RECONCILED):
        make_booking(status=status, amount="90.00")
    for status in (Status.DRAFT, Status.DRAFT, Status.FAILED, Status.NEEDS_ATTENTION, Status.VERIFY_WITH_PARTNER):
        make_booking(status=status, amount="90.00")

    response = finance.get(URL)

    totals = response.context["totals"]
    video = get_partner().name
    assert totals.booked == [{"partner__name": video, "currency": "SAR", "count": 3, "total": Decimal("270.00")}]
    assert [(row["status"], row["count"]) for row in totals.not_booked] == [
        (Status.DRAFT, 2),
        (Status.VERIFY_WITH_PARTNER, 1),
        (Status.NEEDS_ATTENTION, 1),
        (Status.FAILED, 1),
    ]
    assert response.context["page"].paginator.count == 8
    body = response.content.decode()
    assert "Booked with the partner" in body and "Awaiting payment, Enrolled, Reconciled" in body
    assert "Not booked with the partner: counted, not in the amounts" in body
    assert "Totals for the filtered list (8 bookings)" in body
    one = finance.get(URL, {"status": Status.FAILED})
    assert "Totals for the filtered list (1 booking)" in one.content.decode()
    assert "None of these bookings is booked with the partner." in one.content.decode()


def _queries_for_page(client, params) -> int:
    cache.clear()  # the filter's choices are read, then cached: count them on every page
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(captured)


def test_query_count_is_the_same_for_5_and_60_bookings(finance, operations_user, django_assert_max_num_queries):
    filters = {"status": [Status.AWAITING_PAYMENT], "q": "Patient"}
    make_bookings(5, created_by=operations_user)
    small = _queries_for_page(finance, filters)
    make_bookings(55, created_by=operations_user, partner=get_partner(Partner.Code.SANDICARE))
    large = _queries_for_page(finance, filters)
    assert small == large
    with django_assert_max_num_queries(small):
        finance.get(URL, {**filters, "page": 2})


def test_invalid_filter_is_shown_against_its_field(finance):
    make_booking()
    response = finance.get(URL, {"amount_min": "lots"})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<div class="field mb-3 has-error" id="field-amount_min">' in body
    assert '<div id="id_amount_min_error"><p class="error">Enter a number.</p></div>' in body


def test_operations_can_resume_a_draft_from_the_list_finance_cannot(client, finance_user, operations_user):
    draft = make_booking(status=Status.DRAFT)
    sent = make_booking(status=Status.AWAITING_PAYMENT)
    client.force_login(operations_user)
    body = client.get(URL).content.decode()
    assert reverse("bookings:resume", args=[draft.pk]) in body
    assert reverse("bookings:resume", args=[sent.pk]) not in body
    client.force_login(finance_user)
    assert reverse("bookings:resume", args=[draft.pk]) not in client.get(URL).content.decode()


def test_finance_sees_export_and_settlements_operations_does_not(client, finance_user, operations_user):
    make_booking()
    client.force_login(finance_user)
    body = client.get(URL).content.decode()
    assert reverse("bookings:export") in body and reverse("bookings:settlements") in body
    client.force_login(operations_user)
    body = client.get(URL).content.decode()
    assert reverse("bookings:export") not in body and reverse("bookings:settlements") not in body


def test_rows_link_to_the_detail_page_and_page_has_no_inline_script_or_style(finance):
    booking = make_booking()
    body = finance.get(URL).content.decode()
    assert reverse("bookings:detail", args=[booking.pk]) in body
    assert "<script>" not in body and "style=" not in body


def test_sort_and_page_links_keep_the_filters(finance):
    make_bookings(55)
    body = finance.get(URL, {"partner": "sanar_video", "sort": "-created", "page": "1"}).content.decode()
    # Sorting starts again at page 1; the next page keeps the sort order and the filters.
    assert 'href="?partner=sanar_video&amp;sort=amount"' in body
    assert 'href="?partner=sanar_video&amp;sort=created"' in body
    assert 'href="?partner=sanar_video&amp;sort=-created&amp;page=2" rel="next"' in body
    # The export takes the same filters, all of the pages.
    assert f'href="{reverse("bookings:export")}?partner=sanar_video&amp;sort=-created" download' in body
