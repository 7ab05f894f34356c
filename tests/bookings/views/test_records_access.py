"""Who may open the records and finance pages: login first, then the role."""

import pytest
from django.urls import reverse

from bookings.models import SettlementImport
from bookings.states import Status
from tests.factories import get_partner, make_booking

PERSONAS = ["operations", "finance", "partner_admin", "superuser"]
READERS = {"operations", "finance"}
FINANCE = {"finance"}

# (url name, needs a booking / an import, method, personas allowed)
PAGES = [
    ("bookings:list", None, "get", READERS),
    ("bookings:export", None, "get", FINANCE),
    ("bookings:detail", "booking", "get", READERS),
    ("bookings:settlements", None, "get", FINANCE),
    ("bookings:settlement-template", None, "get", FINANCE),
    ("bookings:settlement", "import", "get", FINANCE),
    ("bookings:settlement-file", "import", "get", FINANCE),
    ("bookings:settlement-confirm", "import", "post", FINANCE),
    ("bookings:detail-reconcile", "booking", "post", FINANCE),
    ("bookings:detail-retry", "booking", "post", {"operations"}),
    ("bookings:detail-cancel", "booking", "post", {"operations"}),
    ("bookings:detail-resolve", "booking", "post", {"operations"}),
]


def _url(name, needs):
    if needs == "booking":
        return reverse(name, args=[make_booking(status=Status.AWAITING_PAYMENT).pk])
    if needs == "import":
        settlement = SettlementImport.objects.create(
            partner=get_partner(), file_name="s.csv", content=b"x", sha256="0" * 64, summary={"counts": {}}
        )
        return reverse(name, args=[settlement.pk])
    return reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize("name, needs, method, allowed", PAGES)
def test_anonymous_is_sent_to_login(client, name, needs, method, allowed):
    response = getattr(client, method)(_url(name, needs))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name, needs, method, allowed", PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_role_access(persona_client, persona, name, needs, method, allowed):
    url = _url(name, needs)
    response = getattr(persona_client(persona), method)(url)
    if persona == "superuser" or persona in allowed:
        # Allowed: the page, a file, or the action's redirect / form error (never 403).
        assert response.status_code in (200, 302, 400)
    else:
        assert response.status_code == 403
