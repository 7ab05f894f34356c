"""The patient's slip prints on one sheet of A4 or A5, in English and in Arabic (right to left).

The PDFs and a PNG of each go to test-artifacts/slip/ to be looked at.
"""

import re

import pytest
from django.urls import reverse

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.site_pages import build_site


@pytest.fixture
def slip_url(roles_and_demo_users, partner_simulator):
    users = {name: user for name, (user, _) in roles_and_demo_users.items()}
    build_site(partner_simulator, users)
    from bookings.models import Booking

    return reverse("bookings:handoff-slip", args=[Booking.objects.get(upstream_booking_id="SNR-BOOKED-1").pk])


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("paper", ["a4", "a5"])
def test_slip_prints_on_one_page(page, live_server, login, roles_and_demo_users, slip_url, language, paper):
    login("operations")
    page.goto(f"{live_server.url}{slip_url}?paper={paper}&language={language}")
    assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
    # In Arabic the clinic's block starts at the right edge.
    head = page.locator(".slip-head").bounding_box()
    logo = page.locator(".slip-logo").bounding_box()
    if language == "ar":
        assert logo["x"] + logo["width"] > head["x"] + head["width"] - 2
    else:
        assert logo["x"] < head["x"] + 2
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    folder = ARTIFACTS / "slip"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"slip-{paper}-{language}.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 1
    page.emulate_media(media="print")
    page.screenshot(path=str(folder / f"slip-{paper}-{language}-print.png"), full_page=True)
