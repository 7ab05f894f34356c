"""The home page: New booking per partner first, drafts to resume, today's bookings, who needs a person."""

import pytest
from django.urls import reverse

from bookings.states import Status
from partners.models import Partner
from tests.factories import days_ago, get_partner, make_booking

pytestmark = pytest.mark.django_db
URL = reverse("bookings:dashboard")


def test_operations_see_new_booking_first_then_drafts_today_and_needs_a_person(persona_client):
    draft = make_booking(status=Status.DRAFT, created_at=days_ago(3), patient_name="Draft Patient")
    sent_back = make_booking(status=Status.SLOT_UNAVAILABLE, created_at=days_ago(1))
    booked_today = make_booking(status=Status.AWAITING_PAYMENT, patient_name="Today Patient")
    make_booking(status=Status.AWAITING_PAYMENT, created_at=days_ago(2), patient_name="Old Patient")
    waiting = make_booking(status=Status.NEEDS_ATTENTION, created_at=days_ago(2))

    body = persona_client("operations").get(URL).content.decode()

    main = body.split("<main", 1)[1]
    order = [main.index(text) for text in ("New booking", "Drafts to resume", "Today's bookings", "Needs a person")]
    assert order == sorted(order)
    for code in (Partner.Code.SANAR_VIDEO, Partner.Code.SANAR_VACCINATION, Partner.Code.SANDICARE):
        assert get_partner(code).name in main
    assert reverse("bookings:video-start") in main and reverse("bookings:enrollment-start") in main
    for booking in (draft, sent_back):
        assert reverse("bookings:resume", args=[booking.pk]) in main
    today_section = main.split('id="today-title"', 1)[1].split('id="person-title"', 1)[0]
    assert "Today Patient" in today_section and "Old Patient" not in today_section
    assert reverse("bookings:detail", args=[booked_today.pk]) in today_section
    assert reverse("bookings:detail", args=[waiting.pk]) in main.split('id="person-title"', 1)[1]
    # Monitoring lives on its own page.
    assert "p95" not in main and reverse("bookings:partner-health") in main


def test_finance_and_partner_admins_see_no_booking_buttons_or_drafts(persona_client):
    make_booking(status=Status.DRAFT)
    make_booking(status=Status.AWAITING_PAYMENT)
    waiting = make_booking(status=Status.NEEDS_ATTENTION)
    pages = {persona: persona_client(persona).get(URL) for persona in ("finance", "partner_admin")}
    for response in pages.values():
        body = response.content.decode()
        assert "New booking" not in body and "Drafts to resume" not in body
        assert len(response.context["created_today"]) == 3
    assert reverse("bookings:detail", args=[waiting.pk]) in pages["finance"].content.decode()
    # Partner admins cannot open bookings.
    assert reverse("bookings:detail", args=[waiting.pk]) not in pages["partner_admin"].content.decode()


def test_empty_home_says_so(persona_client):
    body = persona_client("operations").get(URL).content.decode()
    assert "No draft waits to be finished." in body
    assert "No booking has been created today yet." in body
    assert "Nothing waits for a person." in body


def test_today_link_filters_the_bookings_list_to_today(persona_client):
    make_booking(status=Status.AWAITING_PAYMENT)
    response = persona_client("finance").get(URL)
    today = response.context["today"].isoformat()
    assert f"{reverse('bookings:list')}?created_from={today}&amp;created_to={today}" in response.content.decode()
