import pytest
from django.urls import reverse

from bookings.models import Booking


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:partners_partner_changelist",
        "admin:partners_credential_changelist",
        "admin:partners_credential_add",
        "admin:partners_upstreamcall_changelist",
        "admin:bookings_booking_changelist",
        "admin:bookings_bookingevent_changelist",
        "admin:auth_group_changelist",
    ],
)
def test_admin_pages_load(client, superuser, url_name, sanar_video_credential, sandicare_credential):
    client.force_login(superuser)
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
def test_credential_change_page_never_shows_the_secret(client, superuser, sandicare_credential):
    client.force_login(superuser)
    page = client.get(reverse("admin:partners_credential_change", args=[sandicare_credential.pk])).content.decode()
    assert sandicare_credential.api_key not in page
    assert "••••" + sandicare_credential.api_key[-4:] in page


@pytest.mark.django_db
def test_blank_secret_keeps_the_stored_one(client, superuser, sandicare_credential):
    client.force_login(superuser)
    url = reverse("admin:partners_credential_change", args=[sandicare_credential.pk])
    response = client.post(
        url,
        {
            "partner": sandicare_credential.partner_id,
            "environment": "sandbox",
            "label": "renamed",
            "base_url": sandicare_credential.base_url,
            "is_active": "on",
            "cmt_algorithm": "sha256",
            "cmt_encoding": "hex",
            "api_key": "",
            "program_ids": "1001",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    sandicare_credential.refresh_from_db()
    assert sandicare_credential.label == "renamed"
    assert sandicare_credential.api_key.startswith("sdx_")


@pytest.mark.django_db
def test_partner_admin_reaches_credentials_but_not_bookings_admin(client, partner_admin_user):
    client.force_login(partner_admin_user)
    assert client.get(reverse("admin:partners_credential_changelist")).status_code == 200
    assert client.get(reverse("admin:bookings_booking_changelist")).status_code == 403
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_partner_admin_sees_failing_credential_alert_in_admin(client, partner_admin_user, sandicare_credential):
    from partners.credentials import mark_failing

    mark_failing(sandicare_credential, "Unauthorized: invalid key")
    client.force_login(partner_admin_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "credentials are failing" in page
    assert "Unauthorized: invalid key" in page


@pytest.mark.django_db
def test_booking_admin_never_links_a_stored_url(client, superuser, partners):
    booking = Booking.objects.create(
        partner=partners["sanar_video"], reference="BK-999001", payment_url="http://pay.example/not-secure"
    )
    client.force_login(superuser)
    page = client.get(reverse("admin:bookings_booking_change", args=[booking.pk])).content.decode()
    assert "http://pay.example/not-secure" in page
    assert 'href="http://pay.example/not-secure"' not in page
