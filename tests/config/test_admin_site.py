"""An admin list asked for a date the calendar cannot hold reloads without the lookup, never a 500.

Every registered admin gets the guard, the installed apps' (axes, auth) as well as ours.
"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "/admin/partners/credential/?created_at__year=99999",
        "/admin/partners/upstreamcall/?created_at__year=99999",
        # The date hierarchy's end of range: the year, the month or the day after 9999-12-31.
        "/admin/partners/upstreamcall/?created_at__year=9999",
        "/admin/partners/upstreamcall/?created_at__year=9999&created_at__month=12",
        "/admin/partners/upstreamcall/?created_at__year=9999&created_at__month=12&created_at__day=31",
        "/admin/bookings/booking/?created_at__year=9999&created_at__month=12&created_at__day=31",
        "/admin/bookings/booking/?created_at__year=" + "9" * 40,  # too large for a C long: OverflowError
        "/admin/axes/accessattempt/?attempt_time__year=9999",
        "/admin/auth/user/?date_joined__year=99999",
    ],
)
def test_an_impossible_date_is_an_invalid_lookup(query, client, superuser):
    client.force_login(superuser)
    response = client.get(query)
    assert response.status_code == 302
    assert response.url.endswith("?e=1")
    assert client.get(f"{query}&e=1").status_code == 200  # the admin's "invalid lookup" page


def test_a_real_year_still_filters(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/partners/upstreamcall/?created_at__year=2026").status_code == 200


def test_every_registered_admin_is_guarded():
    from django.contrib import admin

    from config.admin_site import GuardedListAdminMixin

    unguarded = [
        str(model)
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, GuardedListAdminMixin)
    ]
    assert not unguarded
