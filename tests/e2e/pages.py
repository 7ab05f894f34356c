"""What the browser tests of both Sanar flows check alike on a page."""

import re


def payment_link_shown_in_place(page, screenshot, name: str) -> str:
    """After Book: the status page shows the payment link and its QR code without a reload; the link."""
    page.wait_for_url(re.compile(r"/status/$"))
    page.evaluate("window.stillTheSamePage = true")
    page.wait_for_selector("#handoff-url", timeout=30_000)
    assert page.evaluate("window.stillTheSamePage === true"), "the link appeared only after a reload"
    link = page.input_value("#handoff-url")
    assert link.startswith("https://")
    assert page.locator(".qr img").count() == 1
    screenshot(name)
    return link


def log_in(page, base_url: str, user, password: str) -> None:
    """Through the login form: the password, then for a role that needs it the code of the demo key."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.second_factor import second_factor_required
    from partner_simulator.demo_second_factor import DEMO_TOTP_KEYS, code_for_key

    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")  # the header holds the language buttons
    if second_factor_required(user):
        # django-otp takes each code once; a test that logs the same user in again within the
        # same 30 s gives the same code, so the device forgets the last one it took.
        TOTPDevice.objects.filter(user=user).update(last_t=-1)
        page.fill("input[name='token-otp_token']", code_for_key(DEMO_TOTP_KEYS[user.username]))
        page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
