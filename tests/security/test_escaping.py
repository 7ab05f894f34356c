"""Partner-supplied text is escaped wherever it is rendered; partner links render only if https.

Doctor and speciality names, vaccination services, provider names, partner messages, call
rows and credential health reasons all come from a partner. Each page is checked two ways:
the markup never appears raw, and its escaped form does (so the text was really rendered).
Links are stored by the services only when they are ``https://``; here they are written
straight to the database, as a migration or the shell could, and must still never become a
link, a copy button or a QR code.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from bookings.models import Booking
from bookings.states import Status
from bookings.templatetags.links import https_url
from partner_simulator import demo_keys
from partners.adapters import sanar_vaccination, sanar_video
from partners.errors import ServerError
from partners.models import Credential, Doctor, Partner, Speciality, UpstreamCall, VaccinationService
from tests.bookings.views import vaccination_support, video_support
from tests.factories import get_partner, make_booking, make_call, make_event
from tests.security.conftest import enrollment_draft
from tests.security.sitemap import client_for

pytestmark = pytest.mark.django_db

# (what is stored, what must never appear raw, what appears once escaped)
PAYLOADS = {
    "script": ("<script>alert(1)</script>", "<script>alert(1)", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    "attribute": ('"><img src=x onerror=alert(1)>', "<img src=x", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
}


@pytest.fixture(params=list(PAYLOADS))
def payload(request):
    return PAYLOADS[request.param]


def assert_escaped(response, payload, *, rendered=True):
    stored, raw, escaped = payload
    html = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert raw not in html, f"unescaped partner text in {response.request['PATH_INFO']}"
    if rendered:
        assert escaped in html, f"the partner text is not on {response.request['PATH_INFO']} at all"


def credential(code, **fields):
    return Credential.objects.create(
        partner=get_partner(code),
        environment=Credential.Environment.SANDBOX,
        base_url="https://partner.invalid/v1",
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
        product_code=demo_keys.SANAR_PRODUCT_CODE,
        **fields,
    )


@pytest.fixture
def video_booking(payload, persona_users):
    """A video booking the partner sent back (1001): every name and message carries the payload."""
    text = payload[0]
    video_support.make_catalogue()
    speciality = Speciality.objects.create(speciality_id="DPX", name=f"Cardio {text}", synced_at=timezone.now())
    Doctor.objects.create(
        doctor_id="EMPX",
        speciality=speciality,
        name=f"Dr {text}",
        classification=text,
        sub_speciality=text,
        experience=text,
        languages=[text],
        synced_at=timezone.now(),
    )
    booking = video_support.video_draft(
        persona_users["operations"],
        through="patient",
        speciality_id="DPX",
        speciality_name=f"Cardio {text}",
        doctor_id="EMPX",
        doctor_name=f"Dr {text}",
        patient_name=f"Sara {text}",
    )
    call = make_call(
        booking=booking,
        outcome=UpstreamCall.Outcome.VALIDATION,
        body_status="1001",
        response_body=f'{{"message": "{text}"}}',
        error=text,
    )
    make_event(booking, from_status=Status.SUBMITTING, to_status=Status.FAILED, upstream_call=call, reason=text)
    Booking.objects.filter(pk=booking.pk).update(status=Status.FAILED, partner_message=f"Rejected: {text}")
    booking.refresh_from_db()
    return booking


@pytest.fixture
def ops(persona_users):
    return client_for(persona_users["operations"])


def url(name, booking):
    return reverse(f"bookings:{name}", args=[booking.pk])


@pytest.mark.parametrize("step", ["video-speciality", "video-doctor", "video-patient", "video-confirm"])
def test_video_flow_pages_escape_catalogue_names_and_partner_messages(ops, video_booking, payload, step):
    assert_escaped(ops.get(url(step, video_booking)), payload)


def test_slot_page_escapes_the_partner_error_message(ops, video_booking, payload, monkeypatch):
    credential(Partner.Code.SANAR_VIDEO)
    monkeypatch.setattr(sanar_video, "slots", video_support.FakeSlots(error=ServerError(payload[0])))
    assert_escaped(ops.get(url("video-slot", video_booking)), payload)
    assert_escaped(ops.get(url("video-slots", video_booking)), payload)


@pytest.mark.parametrize("page", ["status", "status-panel", "detail"])
def test_status_and_detail_pages_escape_the_partner_message(ops, video_booking, payload, page):
    assert_escaped(ops.get(url(page, video_booking)), payload)


def test_list_and_slip_escape_names(ops, video_booking, payload):
    assert_escaped(ops.get(reverse("bookings:list")), payload)
    Booking.objects.filter(pk=video_booking.pk).update(
        status=Status.AWAITING_PAYMENT, payment_url="https://pay.example/1", provider_name=payload[0]
    )
    assert_escaped(ops.get(url("handoff-slip", video_booking)), payload)


def test_vaccination_pages_escape_services_and_provider_names(ops, persona_users, payload, monkeypatch):
    text = payload[0]
    vaccination_support.make_catalogue()
    VaccinationService.objects.create(
        product_code=demo_keys.SANAR_PRODUCT_CODE,
        service_id="VAC-X",
        name=f"Vaccine {text}",
        description=text,
        inclusions=[text],
        instructions=[text],
        price_amount=10,
        price_currency="SAR",
        synced_at=timezone.now(),
        details_synced_at=timezone.now(),
    )
    booking = vaccination_support.vaccination_draft(
        persona_users["operations"], through="where", service_ids=["VAC-X"], service_names=[f"Vaccine {text}"]
    )
    credential(Partner.Code.SANAR_VACCINATION)
    fake = vaccination_support.FakeBrowse(providers=[vaccination_support.provider(name=f"Clinic {text}")])
    monkeypatch.setattr(sanar_vaccination, "browse", fake)
    for step in ("vaccination-services", "vaccination-details", "vaccination-slot", "vaccination-slots"):
        assert_escaped(ops.get(url(step, booking)), payload)


def test_enrollment_form_escapes_the_partner_message(ops, persona_users, payload):
    Credential.objects.create(
        partner=get_partner(Partner.Code.SANDICARE),
        environment=Credential.Environment.SANDBOX,
        base_url="https://sandicare.invalid/api/v1",
        api_key=demo_keys.SANDICARE_SANDBOX_KEY,
        program_ids="1001",
    )
    booking = enrollment_draft(persona_users["operations"])
    call = make_call(booking=booking, outcome=UpstreamCall.Outcome.VALIDATION, http_status=400)
    make_event(booking, from_status=Status.SUBMITTING, to_status=Status.FAILED, upstream_call=call)
    Booking.objects.filter(pk=booking.pk).update(status=Status.FAILED, partner_message=payload[0])
    assert_escaped(ops.get(url("enrollment-edit", booking)), payload)


def test_failing_credential_reason_is_escaped_in_alerts(persona_users, payload):
    credential(Partner.Code.SANAR_VIDEO, is_failing=True, failing_reason=payload[0])
    for persona in ("operations", "partner_admin"):
        # Operations read a generic alert; partner admins read the reason.
        rendered = persona == "partner_admin"
        assert_escaped(
            client_for(persona_users[persona]).get(reverse("bookings:dashboard")), payload, rendered=rendered
        )
    admin = client_for(persona_users["partner_admin"])
    assert_escaped(admin.get(reverse("admin:partners_credential_changelist")), payload)
    assert_escaped(admin.get(reverse("bookings:partner-health")), payload)


def test_admin_pages_escape_partner_text(persona_users, video_booking, payload):
    admin = client_for(persona_users["superuser"])
    call = video_booking.upstream_calls.get()
    for path in (
        reverse("admin:bookings_booking_changelist"),
        reverse("admin:bookings_booking_change", args=[video_booking.pk]),
        reverse("admin:partners_upstreamcall_change", args=[call.pk]),
        reverse("admin:partners_doctor_changelist"),
        reverse("admin:partners_speciality_changelist"),
        reverse("admin:bookings_bookingevent_change", args=[video_booking.events.get(upstream_call=call).pk]),
    ):
        assert_escaped(admin.get(path), payload)


# --- links: https only --------------------------------------------------------------------------

BAD_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "http://pay.example/checkout/1",
    "data:text/html,<script>alert(1)</script>",
    "//pay.example/checkout/1",
    "https:pay.example",
    " https://pay.example/leading-space",
]


@pytest.mark.parametrize("link", BAD_LINKS)
def test_https_url_filter_refuses(link):
    assert https_url(link) == ""


@pytest.mark.parametrize("link", ["https://pay.example/checkout/1?x=1&y=2", "https://nimbo.example/waiting-room/ab"])
def test_https_url_filter_keeps_https_links(link):
    assert https_url(link) == link


def _payment_booking(link, **fields):
    booking = make_booking(status=Status.AWAITING_PAYMENT, upstream_booking_id="SNR-1", **fields)
    Booking.objects.filter(pk=booking.pk).update(payment_url=link)  # past the services' check
    return booking


def _no_link(html: str, link: str):
    assert link.strip() not in html and escape(link.strip()) not in html  # not even as escaped text
    assert 'data-copy="handoff-url"' not in html
    assert "qr.svg" not in html


@pytest.mark.parametrize("link", BAD_LINKS)
def test_a_stored_non_https_payment_link_is_never_a_link_or_qr(ops, link):
    booking = _payment_booking(link)
    status_page = ops.get(url("status", booking)).content.decode()
    _no_link(status_page, link)
    assert "not a secure https:// link" in status_page
    _no_link(ops.get(url("status-panel", booking)).content.decode(), link)
    _no_link(ops.get(url("handoff-slip", booking)).content.decode(), link)
    _no_link(ops.get(url("detail", booking)).content.decode(), link)
    assert ops.get(url("handoff-qr", booking)).status_code == 404


@pytest.mark.parametrize("link", BAD_LINKS)
def test_a_stored_non_https_enrollment_link_is_never_a_link(ops, persona_users, link):
    enrolled = make_booking(
        partner=get_partner(Partner.Code.SANDICARE),
        status=Status.ENROLLED,
        email="patient@example.org",
        sandicare_service="general_medicine",
        submitted_at=timezone.now(),
    )
    Booking.objects.filter(pk=enrolled.pk).update(enrollment_url=link)
    _no_link(ops.get(reverse("bookings:enrollment-history")).content.decode(), link)
    _no_link(ops.get(url("status", enrolled)).content.decode(), link)
    assert ops.get(url("handoff-qr", enrolled)).status_code == 404
    again = enrollment_draft(persona_users["operations"], email="patient@example.org")
    page = ops.get(url("enrollment-confirm", again))
    assert page.status_code == 200 and enrolled.reference in page.content.decode()
    _no_link(page.content.decode(), link)


def test_an_https_payment_link_is_shown_with_copy_and_qr(ops):
    link = "https://pay.example/checkout/1?x=1&y=2"
    booking = _payment_booking(link)
    html = ops.get(url("status", booking)).content.decode()
    assert f'href="{link.replace("&", "&amp;")}"' in html and "qr.svg" in html
    qr = ops.get(url("handoff-qr", booking))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"


@pytest.mark.parametrize("photo", ["javascript:alert(1)", "http://cdn.example/doctor.jpg"])
def test_a_doctor_photo_is_shown_only_from_an_https_url(ops, video_booking, photo):
    Doctor.objects.filter(doctor_id="EMPX").update(img=photo)
    html = ops.get(url("video-doctor", video_booking)).content.decode()
    assert photo not in html and "no-photo" in html
    Doctor.objects.filter(doctor_id="EMPX").update(img="https://cdn.example/doctor.jpg")
    assert 'src="https://cdn.example/doctor.jpg"' in ops.get(url("video-doctor", video_booking)).content.decode()
