"""The bookings API: filters as on the page, totals, detail with attempts and events, JSON errors."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bookings.states import Status
from partners.models import Partner, UpstreamCall
from tests.factories import get_partner, make_booking, make_bookings, make_call, make_event

pytestmark = pytest.mark.django_db
LIST = reverse("api:booking-list")


@pytest.fixture
def api(finance_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=finance_user).key}")
    return client


def test_list_with_token_filters_and_totals(api):
    wanted = make_booking(
        partner=get_partner(Partner.Code.SANDICARE), amount="300.00", currency="MXN", patient_name="Ana Ruiz"
    )
    make_booking(amount="90.00")
    make_booking(amount="10.00", currency="USD")

    response = api.get(LIST, {"partner": "sandicare", "q": "ana"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
    (row,) = response.json()["results"]
    assert (row["reference"], row["amount"], row["currency"], row["partner"]) == (
        wanted.reference,
        "300.00",
        "MXN",
        "sandicare",
    )
    assert response.json()["totals"] == [
        {"partner": wanted.partner.name, "currency": "MXN", "count": 1, "total": "300.00"}
    ]

    assert response.json()["not_booked"] == []

    make_booking(status=Status.DRAFT, amount="75.00")
    everything = api.get(LIST).json()
    assert {(t["currency"], t["total"]) for t in everything["totals"]} == {
        ("MXN", "300.00"),
        ("SAR", "90.00"),
        ("USD", "10.00"),
    }
    assert everything["not_booked"] == [
        {"partner": get_partner().name, "status": "draft", "status_display": "Draft", "count": 1}
    ]


def test_list_sorting_and_pagination(api):
    for amount in ("5.00", "7.00", "6.00"):
        make_booking(amount=amount)
    body = api.get(LIST, {"sort": "-amount", "page_size": 2}).json()
    assert [Decimal(row["amount"]) for row in body["results"]] == [Decimal("7.00"), Decimal("6.00")]
    assert body["count"] == 3 and body["next"]


def test_list_query_count_is_constant(api, django_assert_max_num_queries, operations_user):
    make_bookings(3, created_by=operations_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        api.get(LIST)
    make_bookings(60, created_by=operations_user)
    with django_assert_max_num_queries(len(small)):
        assert len(api.get(LIST).json()["results"]) == 50


def test_invalid_filters_are_json_errors_by_field(api):
    response = api.get(LIST, {"amount_min": "lots", "status": "nope"})
    assert response.status_code == 400
    body = response.json()
    assert body["amount_min"] == ["Enter a number."]
    assert "nope" in body["status"][0]


def test_detail_has_attempts_and_events(api, operations_user):
    booking = make_booking(status=Status.AWAITING_PAYMENT)
    call = make_call(
        booking=booking, outcome=UpstreamCall.Outcome.SERVER_ERROR, http_status=503, body_status="", latency_ms=900
    )
    make_call(booking=booking, attempt=2)
    make_event(
        booking, from_status=Status.SUBMITTING, to_status=Status.AWAITING_PAYMENT, actor=operations_user, reason="ok"
    )

    body = api.get(reverse("api:booking-detail", args=[booking.pk])).json()
    assert body["reference"] == booking.reference
    assert body["attempts"][0] == {
        "id": call.pk,
        "operation": "book",
        "attempt": 1,
        "http_status": 503,
        "body_status": "",
        "outcome": "server_error",
        "latency_ms": 900,
        "created_at": body["attempts"][0]["created_at"],
    }
    assert [a["attempt"] for a in body["attempts"]] == [1, 2]
    assert body["events"][0]["to_status"] == "awaiting_payment" and body["events"][0]["actor"] == "ops"


def test_missing_booking_is_a_json_404(api):
    response = api.get(reverse("api:booking-detail", args=[999_999]))
    assert response.status_code == 404
    assert "detail" in response.json()
