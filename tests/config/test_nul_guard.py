"""A NUL character anywhere in the path, the query or a posted form is a 400, before any view."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.bookings.views import video_support
from tests.factories import make_call

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_query_value_or_name_is_a_400(ops_client):
    client = ops_client
    assert client.get("/bookings/?q=%00").status_code == 400
    assert client.get("/bookings/?q%00=x").status_code == 400
    assert client.get("/bookings/?q=a%00b").status_code == 400
    assert client.get("/bookings/?q=a").status_code == 200


def test_a_nul_in_a_posted_field_is_a_400():
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "a\x00", "password": "x"})
    assert response.status_code == 400
    assert response["X-Request-ID"]


def test_a_nul_in_the_path_is_a_400():
    assert Client().get("/bookings/%00/").status_code == 400


def test_the_video_speciality_search_with_a_nul(ops_client, operations_user):
    video_support.make_catalogue()
    draft = video_support.video_draft(operations_user)
    path = reverse("bookings:video-speciality", kwargs={"pk": draft.pk})
    client = ops_client
    assert client.get(path, {"q": "\x00"}).status_code == 400
    assert client.get(path, {"q": "card"}).status_code == 200


def test_an_admin_filter_with_a_nul(client, superuser):
    make_call()
    client.force_login(superuser)
    assert client.get("/admin/partners/upstreamcall/?outcome__exact=%00").status_code == 400
    assert client.get("/admin/partners/upstreamcall/?q=%00").status_code == 400


def test_a_file_upload_still_reaches_the_view(client, finance_user):
    """The guard reads the form body; a multipart upload is still parsed once and handed on."""
    csv = "partner_booking_id,amount,currency,paid_at,status\nSNR-X,1.00,SAR,2026-01-01,paid\n\x00"
    upload = SimpleUploadedFile("s.csv", csv.encode(), content_type="text/csv")
    client.force_login(finance_user)
    response = client.post(reverse("bookings:settlements"), {"partner": "sanar_video", "file": upload})
    assert response.status_code in (302, 400)
