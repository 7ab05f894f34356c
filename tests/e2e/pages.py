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
