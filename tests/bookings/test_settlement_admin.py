"""Settlement imports in the admin: listed and viewable, never editable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bookings.services.reconciliation import settlement_import_create
from tests.factories import get_partner, make_booking

pytestmark = pytest.mark.django_db


def test_imports_and_lines_are_read_only_in_the_admin(client, superuser, finance_user):
    make_booking(upstream_booking_id="SNR-1")
    upload = SimpleUploadedFile("s.csv", b"partner_booking_id,amount,currency,paid_at\nSNR-1,90.00,SAR,2026-04-28\n")
    settlement, _ = settlement_import_create(partner=get_partner(), uploaded_file=upload, actor=finance_user)
    line = settlement.lines.first()
    client.force_login(superuser)

    for url in (
        reverse("admin:bookings_settlementimport_changelist"),
        reverse("admin:bookings_settlementimport_change", args=[settlement.pk]),
        reverse("admin:bookings_settlementline_changelist"),
        reverse("admin:bookings_settlementline_change", args=[line.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'name="_save"' not in response.content.decode()
    assert client.get(reverse("admin:bookings_settlementimport_add")).status_code == 403
    assert client.post(reverse("admin:bookings_settlementimport_delete", args=[settlement.pk])).status_code == 403
