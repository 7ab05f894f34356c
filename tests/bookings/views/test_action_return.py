"""After an action, staff return to the page they came from (``next``), whatever ``next`` holds."""

import pytest
from django.urls import reverse

from bookings.states import Status
from tests.factories import make_booking

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "next_value, lands_on",
    [
        ("/bookings/", "/bookings/"),
        ("0001-01-01", "0001-01-01"),  # not a view name: redirect() took it for one (NoReverseMatch, a 500)
        ("9999-12-31T23:59:59", "9999-12-31T23:59:59"),
        ("https://elsewhere.example/", None),
    ],
)
def test_an_action_returns_to_next_when_it_is_on_this_site(ops_client, next_value, lands_on):
    booking = make_booking(status=Status.FAILED)
    response = ops_client.post(reverse("bookings:detail-cancel", kwargs={"pk": booking.pk}), {"next": next_value})
    assert response.status_code == 302
    assert response.url == (lands_on or reverse("bookings:detail", kwargs={"pk": booking.pk}))
