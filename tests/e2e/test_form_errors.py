"""A form sent back with errors puts the keyboard on its first invalid field, whose error is
tied to it; a folded filter with an error is unfolded."""


def test_first_invalid_field_gets_the_focus_and_names_its_error(page, live_server, login):
    login("finance")
    page.goto(f"{live_server.url}/bookings/?amount_min=lots")
    assert page.evaluate("document.activeElement.id") == "id_amount_min"
    assert page.get_attribute("#id_amount_min", "aria-invalid") == "true"
    described = page.get_attribute("#id_amount_min", "aria-describedby")
    assert "id_amount_min_error" in described
    assert page.inner_text("#id_amount_min_error") == "Enter a number."
    assert page.locator("#more-filters").get_attribute("open") is not None
