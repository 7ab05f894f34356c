"""The settlement API: upload (multipart), report, lines, confirm; errors as JSON."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from bookings.models import Booking, SettlementImport
from bookings.states import Status
from tests.factories import make_booking

pytestmark = pytest.mark.django_db
UPLOAD = reverse("api:settlement-list")
HEADER = "partner_booking_id,amount,currency,paid_at,status\n"


@pytest.fixture
def api(finance_user):
    client = APIClient()
    client.force_authenticate(finance_user)
    return client


def send(api, text: str, partner="sanar_video"):
    upload = SimpleUploadedFile("s.csv", text.encode(), content_type="text/csv")
    return api.post(UPLOAD, {"partner": partner, "file": upload}, format="multipart")


def test_upload_report_lines_confirm(api):
    booking = make_booking(upstream_booking_id="SNR-1")
    make_booking(upstream_booking_id="SNR-9", created_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC))
    text = HEADER + "SNR-1,90.00,SAR,2026-04-28,paid\nSNR-2,20.00,SAR,2026-04-28,paid\n"

    created = send(api, text)
    assert created.status_code == 201
    settlement_id = created.json()["id"]
    assert created.json()["state"] == "validated"
    assert created.json()["summary"]["counts"]["matched"] == 1

    report = api.get(reverse("api:settlement-detail", args=[settlement_id])).json()
    assert report["summary"]["counts"]["unknown"] == 1 and report["summary"]["counts"]["missing"] == 1
    lines = api.get(reverse("api:settlement-lines", args=[settlement_id]), {"category": "unknown"}).json()
    assert [line["partner_booking_id"] for line in lines["results"]] == ["SNR-2"]

    confirmed = api.post(reverse("api:settlement-confirm", args=[settlement_id]))
    assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
    assert Booking.objects.get(pk=booking.pk).status == Status.RECONCILED

    again = send(api, text)
    assert again.status_code == 200 and again.json()["id"] == settlement_id
    assert SettlementImport.objects.count() == 1


def test_invalid_file_is_400_with_lines_and_nothing_written(api):
    response = send(api, HEADER + "SNR-1,abc,SAR,2026-04-28,\n")
    assert response.status_code == 400
    body = response.json()
    assert "Nothing was imported" in body["file"][0]
    assert body["rows"] == [{"line": 2, "field": "amount", "message": body["rows"][0]["message"]}]
    assert not SettlementImport.objects.exists()


def test_missing_fields_and_unknown_partner_are_field_errors(api):
    body = api.post(UPLOAD, {}, format="multipart").json()
    assert set(body) == {"partner", "file"}
    wrong = send(api, HEADER + "SNR-1,1,SAR,2026-04-28,\n", partner="acme")
    assert wrong.status_code == 400 and "partner" in wrong.json()


def test_unknown_category_is_a_field_error(api):
    make_booking(upstream_booking_id="SNR-1")
    settlement_id = send(api, HEADER + "SNR-1,90.00,SAR,2026-04-28,\n").json()["id"]
    response = api.get(reverse("api:settlement-lines", args=[settlement_id]), {"category": "nope"})
    assert response.status_code == 400 and "category" in response.json()


def test_list_of_imports(api):
    make_booking(upstream_booking_id="SNR-1")
    send(api, HEADER + "SNR-1,90.00,SAR,2026-04-28,\n")
    body = api.get(UPLOAD).json()
    assert body["count"] == 1 and body["results"][0]["partner"] == "sanar_video"
    assert "content" not in body["results"][0]
