"""The bookings filter's dates: outside 2000–2099 a field error, never an overflow."""

import pytest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from bookings.filters import BookingFilter
from bookings.models import Booking

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["created_from", "created_to", "appointment_from", "appointment_to"])
@pytest.mark.parametrize("value", ["0001-01-01", "1999-12-31", "2100-01-01", "9999-12-31"])
def test_a_far_date_is_a_field_error(name, value):
    filterset = BookingFilter(MultiValueDict({name: [value]}), queryset=Booking.objects.all())
    assert not filterset.is_valid()
    assert list(filterset.errors) == [name]
    list(filterset.qs)  # the other filters still apply


@pytest.mark.parametrize("value", ["2000-01-01", "2099-12-31"])
def test_the_bounds_themselves_are_accepted(value):
    assert BookingFilter(MultiValueDict({"created_to": [value]}), queryset=Booking.objects.all()).is_valid()


def test_the_list_the_export_and_the_api_answer_created_to_9999(client, finance_user):
    client.force_login(finance_user)
    finance = client
    page = finance.get(reverse("bookings:list"), {"created_to": "9999-12-31"})
    assert page.status_code == 200
    assert "created_to" in page.context["filter"].errors
    assert finance.get(reverse("bookings:export"), {"created_to": "9999-12-31"}).status_code == 400
    assert finance.get(reverse("api:booking-list"), {"created_to": "9999-12-31"}).status_code == 400
