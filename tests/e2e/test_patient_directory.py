"""The patient directory in a browser: a mistyped mobile is said next to the field with
everything else kept; the saved patient is found from the Sandicare form and fills it."""

from patients.models import Patient


def test_add_a_patient_then_find_them_when_booking(page, live_server, login, screenshot):
    login("operations")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/patients/add/")
        page.fill("#id_full_name", "Layla Haddad")
        page.fill("#id_mobile", "12")
        page.fill("#id_email", "layla@example.org")
        page.check("#id_consents_to_messages")
        page.click("main button[type=submit]")
        assert "not a valid mobile number" in page.inner_text("#field-mobile")
        assert page.input_value("#id_email") == "layla@example.org"
        assert page.is_checked("#id_consents_to_messages")
        screenshot(f"01-mobile-error-{width}")
    page.fill("#id_mobile", "0501234567")
    page.click("main button[type=submit]")
    page.wait_for_url("**/patients/*/")
    assert "+966" in page.inner_text("main") or "050" in page.inner_text("main")
    patient = Patient.objects.get()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/patients/{patient.pk}/")
        screenshot(f"02-patient-page-{width}")
        page.goto(f"{live_server.url}/patients/?q=0501234567")
        assert "Layla Haddad" in page.inner_text("main")
        screenshot(f"03-search-{width}")
    assert patient.mobile == "+966501234567" and patient.consents_to_messages
