"""The send task against the partner simulator: every Sandicare answer, end to end.

The form is posted through the view (so the booking is exactly what staff make), then the
task runs eagerly; its retries run in the same call. The simulator records what it received.
"""

import pytest
from django.urls import reverse

from bookings import tasks
from bookings.models import Booking
from bookings.products import NO_SUBSCRIPTION_MESSAGE
from bookings.states import Status
from partner_simulator import demo_keys
from partners.models import Credential, Partner, UpstreamCall

pytestmark = pytest.mark.django_db

ENROLL = "sandicare.enroll"
PATIENT = {"email": "patient@example.org", "patient_dob": "1990-05-17"}


@pytest.fixture
def credential(partners, partner_simulator, settings):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False  # the ``db`` fixture wraps each test in one
    settings.PARTNER_ENVIRONMENT = "sandbox"
    return Credential.objects.create(
        partner=partners[Partner.Code.SANDICARE],
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sandicare"),
        api_key=demo_keys.SANDICARE_SANDBOX_KEY,
        program_ids="1001,1002",
    )


@pytest.fixture
def enroll(ops_client, credential, django_capture_on_commit_callbacks):
    """Post the form as staff, then run the task the commit would have enqueued."""

    def run(**fields):
        data = {
            "program_id": "1002",
            "sandicare_service": "general_medicine",
            "consultation_reason": "Fever",
            **PATIENT,
        }
        data.update(fields)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = ops_client.post(reverse("bookings:enrollment-start"), data)
        assert response.status_code == 302, response.content.decode()[-2000:]
        assert len(callbacks) == 1
        booking = Booking.objects.order_by("-id").first()
        tasks.send_booking.apply(args=[booking.pk])
        booking.refresh_from_db()
        return booking

    return run


def status_html(client, booking):
    return client.get(reverse("bookings:status", args=[booking.pk])).content.decode()


# --- success -----------------------------------------------------------------------------


def test_general_medicine_gets_a_nimbo_waiting_room_and_the_reason_is_sent(enroll, partner_simulator, ops_client):
    booking = enroll(sandicare_service="general_medicine", consultation_reason="Fever since yesterday")
    assert booking.status == Status.ENROLLED
    assert booking.enrollment_url.startswith("https://nimbo.example/waiting-room/")
    (request,) = partner_simulator.received(ENROLL)
    assert request["json"] == {
        "programId": "1002",
        "service": "general_medicine",
        "email": "patient@example.org",
        "dateOfBirth": "1990-05-17",
        "consultationReason": "Fever since yesterday",
    }
    assert request["headers"]["x-api-key"] == demo_keys.SANDICARE_SANDBOX_KEY
    html = status_html(ops_client, booking)
    assert "Nimbo waiting room" in html
    assert booking.enrollment_url in html
    for hand_off in ("Copy link", "Open", "Printable slip", reverse("bookings:handoff-qr", args=[booking.pk])):
        assert hand_off in html
    qr = ops_client.get(reverse("bookings:handoff-qr", args=[booking.pk]))
    assert qr["Content-Type"] == "image/svg+xml"
    assert (
        booking.enrollment_url in ops_client.get(reverse("bookings:handoff-slip", args=[booking.pk])).content.decode()
    )


@pytest.mark.parametrize("service", ["nutrition", "psychology", "internal_medicine"])
def test_other_services_get_a_service_link_and_consultation_reason_is_absent(
    enroll, partner_simulator, ops_client, service
):
    booking = enroll(sandicare_service=service, consultation_reason="Typed, then the service was changed")
    assert booking.status == Status.ENROLLED
    assert booking.enrollment_url.startswith("https://care.sandicare.example/programs/1002/")
    (request,) = partner_simulator.received(ENROLL)
    assert "consultationReason" not in request["json"]
    assert "consultationReason" not in request["body"]
    assert request["json"]["service"] == service
    html = status_html(ops_client, booking)
    assert "Service link" in html and "Nimbo waiting room" not in html


def test_a_reason_left_on_the_draft_is_still_not_sent_for_other_services(enroll, partner_simulator, ops_client):
    """Even a draft changed behind the form's back never sends a reason for nutrition."""
    booking = enroll(sandicare_service="nutrition")
    Booking.objects.filter(pk=booking.pk).update(status=Status.QUEUED, consultation_reason="Stale reason")
    tasks.send_booking.apply(args=[booking.pk])
    assert all("consultationReason" not in r["json"] for r in partner_simulator.received(ENROLL))


# --- 400 -----------------------------------------------------------------------------------


def test_400_puts_the_partners_message_on_the_form_without_retrying(enroll, partner_simulator, ops_client):
    partner_simulator.inject(ENROLL, "http_400")
    booking = enroll()
    assert booking.status == Status.FAILED
    assert booking.partner_message == "Missing or invalid fields."
    assert len(partner_simulator.received(ENROLL)) == 1
    html = status_html(ops_client, booking)
    edit = reverse("bookings:enrollment-edit", args=[booking.pk])
    assert f'href="{edit}"' in html
    form = ops_client.get(edit).content.decode()
    assert "Missing or invalid fields." in form
    assert 'value="patient@example.org"' in form


def test_a_real_400_naming_a_field_shows_next_to_it(enroll, partner_simulator, ops_client):
    booking = enroll(sandicare_service="nutrition")
    # A draft whose programId Sandicare rejects (the form never sends one, so change it behind its back).
    Booking.objects.filter(pk=booking.pk).update(status=Status.QUEUED, program_id="10a2")
    tasks.send_booking.apply(args=[booking.pk])
    booking.refresh_from_db()
    assert booking.status == Status.FAILED
    assert "programId" in booking.partner_message
    form = ops_client.get(reverse("bookings:enrollment-edit", args=[booking.pk])).content.decode()
    assert booking.partner_message in form


# --- 401 -----------------------------------------------------------------------------------


def test_401_flags_the_key_for_staff_and_alerts_partner_admins(
    enroll, partner_simulator, ops_client, credential, persona_client
):
    partner_simulator.inject(ENROLL, "http_401")
    booking = enroll()
    assert booking.status == Status.NEEDS_ATTENTION
    assert len(partner_simulator.received(ENROLL)) == 1  # no retry until the key is fixed
    credential.refresh_from_db()
    assert credential.is_failing
    html = status_html(ops_client, booking)
    assert "credentials need attention" in html
    assert "Retry now" in html
    admin_page = persona_client("partner_admin").get(reverse("bookings:dashboard")).content.decode()
    assert "credentials are failing" in admin_page
    assert reverse("admin:partners_credential_change", args=[credential.pk]) in admin_page
    assert demo_keys.SANDICARE_SANDBOX_KEY not in html + admin_page


def test_a_wrong_key_on_the_simulator_is_a_401_too(enroll, partner_simulator, credential):
    Credential.objects.filter(pk=credential.pk).update(api_key="sdx_" + "x" * 24)
    booking = enroll()
    assert booking.status == Status.NEEDS_ATTENTION
    assert UpstreamCall.objects.get(booking=booking).outcome == "unauthorized"


# --- 404 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "patient",
    [
        {"email": "unknown@example.org"},
        {"patient_dob": "1990-05-18"},
        {"email": "expired@example.org", "patient_dob": "1985-11-02", "program_id": "1001"},
    ],
    ids=["unknown-email", "wrong-date-of-birth", "expired-subscription"],
)
def test_404_says_no_active_subscription_and_what_to_check_without_retrying(
    enroll, partner_simulator, ops_client, patient
):
    booking = enroll(**patient)
    assert booking.status == Status.FAILED
    assert booking.partner_message == NO_SUBSCRIPTION_MESSAGE
    assert len(partner_simulator.received(ENROLL)) == 1
    html = status_html(ops_client, booking)
    assert "No active Sandicare subscription matches this email and date of birth" in html
    assert "check the spelling of the email" in html
    # One 404 for an unknown patient and an expired subscription: the text says it cannot tell which.
    assert "does not say whether it does not know the patient or the subscription has expired" in html
    assert "Retry now" not in html
    assert reverse("bookings:enrollment-edit", args=[booking.pk]) in html


# --- 503 -----------------------------------------------------------------------------------


def test_503_is_retried_with_backoff_and_then_enrolls(enroll, partner_simulator):
    partner_simulator.inject(ENROLL, "http_503", times=2)
    booking = enroll(sandicare_service="psychology")
    assert booking.status == Status.ENROLLED
    assert booking.submit_attempts == 3
    assert [c.outcome for c in UpstreamCall.objects.filter(booking=booking).order_by("id")] == [
        "server_error",
        "server_error",
        "ok",
    ]
    assert partner_simulator.successful_creates(ENROLL) == 1
    reasons = [event.reason_text for event in booking.events.all()]
    assert any("retrying (attempt 2 of" in reason for reason in reasons)


def test_503_until_the_retries_run_out_needs_attention(enroll, partner_simulator, ops_client):
    partner_simulator.inject(ENROLL, "http_503", times=-1)
    booking = enroll()
    assert booking.status == Status.NEEDS_ATTENTION
    assert len(partner_simulator.received(ENROLL)) == tasks.send_booking.max_retries + 1
    assert partner_simulator.successful_creates(ENROLL) == 0
    html = status_html(ops_client, booking)
    assert "Needs attention" in html and "Retry now" in html


# --- the same booking delivered twice --------------------------------------------------------


def test_a_second_delivery_never_enrolls_twice(enroll, partner_simulator):
    booking = enroll(sandicare_service="nutrition")
    tasks.send_booking.apply(args=[booking.pk])
    assert partner_simulator.successful_creates(ENROLL) == 1
    booking.refresh_from_db()
    assert booking.status == Status.ENROLLED
