"""The doctor picker: the next slot with its day, the rating with its count when Sanar sends one,
filters by name, gender and spoken language, all over the stored catalogue."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Doctor
from tests.bookings.views import video_support

pytestmark = pytest.mark.django_db


@pytest.fixture
def doctor_page(ops_client, operations_user, sanar_video_credential):
    video_support.make_catalogue()
    booking = video_support.video_draft(operations_user, through="speciality")
    url = reverse("bookings:video-doctor", args=[booking.pk])

    def get(**params):
        response = ops_client.get(url, params)
        assert response.status_code == 200
        return response

    return get


def listed(response) -> list[str]:
    return [doctor.doctor_id for doctor in response.context["doctors"]]


def test_filters_by_name_gender_and_language(doctor_page):
    Doctor.objects.filter(doctor_id="EMP86205").update(gender="Female", languages=["Arabic"])
    assert listed(doctor_page()) == ["EMP86190", "EMP86205"]
    assert listed(doctor_page(name="noura")) == ["EMP86205"]
    assert listed(doctor_page(gender="female")) == ["EMP86205"]
    assert listed(doctor_page(language="English")) == ["EMP86190"]
    assert listed(doctor_page(gender="Male", language="Arabic")) == ["EMP86190"]
    empty = doctor_page(name="nobody")
    assert listed(empty) == [] and "No doctor matches these filters." in empty.content.decode()


def test_filter_menus_offer_what_the_listed_doctors_have(doctor_page):
    choices = doctor_page().context["filter_choices"]
    assert choices == {"genders": ["Male"], "languages": ["Arabic", "English"]}


def test_next_slot_names_its_day(doctor_page):
    html = doctor_page().content.decode()
    assert '<dd class="next-slot">Today · <bdi dir="ltr">09:00</bdi></dd>' in html
    Doctor.objects.filter(doctor_id="EMP86190").update(synced_at=timezone.now() - datetime.timedelta(days=2))
    day = (timezone.localdate() - datetime.timedelta(days=2)).strftime("%A %-d %B")
    assert f'<dd class="next-slot">{day} · <bdi dir="ltr">09:00</bdi></dd>' in doctor_page().content.decode()


def test_rating_shows_its_count_only_when_sanar_sends_one(doctor_page):
    assert "ratings)" not in doctor_page().content.decode()
    Doctor.objects.filter(doctor_id="EMP86190").update(raw={"rating": 4.8, "rating_count": 132})
    assert '4.8 <span class="text-body-secondary">(132 ratings)</span>' in doctor_page().content.decode()


def test_sorting_keeps_the_filters(doctor_page):
    html = doctor_page(language="Arabic", sort="price").content.decode()
    assert 'href="?language=Arabic&amp;sort=rating"' in html


def test_a_doctor_without_a_rating_says_not_given(doctor_page):
    Doctor.objects.filter(doctor_id="EMP86190").update(rating=None, raw={})
    html = doctor_page().content.decode()
    assert '<span class="text-body-secondary">not given</span>' in html
