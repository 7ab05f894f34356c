"""On a 390 px touch phone: the menu opens with a tap, and taps on Continue and Book go through."""

import re

import pytest

from bookings.models import Booking
from bookings.states import Status
from tests.e2e.pages import payment_link_shown_in_place
from tests.e2e.test_video_flow import video_credential, walk_to_confirm  # noqa: F401 (fixture)

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("celery_worker_process", "video_credential")]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_menu_continue_and_book_answer_taps(login, page, live_server, screenshot):
    login("operations")
    menu = page.get_by_role("navigation", name="Main")
    assert not menu.get_by_role("link", name="Bookings").is_visible()  # folded on a phone
    menu.get_by_role("button", name="Menu").tap()
    page.wait_for_selector("#portal-nav.collapse.show")  # opened, animation done
    assert menu.get_by_role("link", name="Bookings").is_visible()
    screenshot("01-menu-open")

    walk_to_confirm(page, live_server, screenshot)
    page.go_back()
    page.wait_for_url(re.compile(r"/patient/$"))
    page.get_by_role("button", name="Continue").tap()
    page.wait_for_url(re.compile(r"/confirm/$"))
    page.locator("#book-button").tap()
    payment_link_shown_in_place(page, screenshot, "06-status-payment-link")
    assert Booking.objects.get().status == Status.AWAITING_PAYMENT
