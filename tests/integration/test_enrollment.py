"""Sandicare enrollment end to end: the form, a real Celery worker on Redis, the partner simulator.

Also the key-prefix rule end to end: a sandbox credential can never hold or send a ``prd_``
key, and a production credential never an ``sdx_`` key.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import roles
from bookings.models import Booking
from bookings.products import NO_SUBSCRIPTION_MESSAGE
from bookings.services.drafts import booking_create_draft, booking_update_selection
from bookings.states import Status
from partner_simulator import demo_keys
from partners.adapters import sandicare
from partners.errors import PartnerError
from partners.models import Credential, Partner, UpstreamCall
from tests.worker_fixtures import wait_for

ENROLL = "sandicare.enroll"
FINAL = (Status.ENROLLED, Status.FAILED, Status.NEEDS_ATTENTION, Status.VERIFY_WITH_PARTNER)
KEYS = {"sandbox": demo_keys.SANDICARE_SANDBOX_KEY, "production": demo_keys.SANDICARE_PRODUCTION_KEY}
SIMULATOR_API = {"sandbox": "sandicare", "production": "sandicare_production"}


@pytest.fixture
def sandicare_partner(transactional_db):
    # Transactional tests flush the rows the data migrations made: make sure ours exist.
    partner, _ = Partner.objects.get_or_create(
        code=Partner.Code.SANDICARE,
        defaults={"vendor": Partner.Vendor.SANDICARE, "name": "Sandicare teleconsult enrollment"},
    )
    return partner


@pytest.fixture
def sim_credential(sandicare_partner, partner_simulator):
    return Credential.objects.create(
        partner=sandicare_partner,
        environment=Credential.Environment.SANDBOX,
        base_url=partner_simulator.base_url("sandicare"),
        api_key=demo_keys.SANDICARE_SANDBOX_KEY,
        program_ids="1001,1002",
    )


@pytest.fixture
def staff_client(client, transactional_db, django_user_model):
    user = django_user_model.objects.create_user(username="ops-integration", password="x")
    user.groups.add(Group.objects.get_or_create(name=roles.OPERATIONS)[0])
    client.force_login(user)
    return client


def settled(booking_id):
    return wait_for(lambda: Booking.objects.filter(pk=booking_id, status__in=FINAL).first(), timeout=30)


def post_enrollment(client, **fields):
    data = {
        "program_id": "1002",
        "sandicare_service": "general_medicine",
        "email": "patient@example.org",
        "patient_dob": "1990-05-17",
        "consultation_reason": "Sore throat",
        **fields,
    }
    response = client.post(reverse("bookings:enrollment-start"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Booking.objects.order_by("-id").first()


# --- through the worker ----------------------------------------------------------------------


@pytest.mark.worker
def test_worker_enrolls_general_medicine_with_a_reason_and_nutrition_without(
    celery_worker_process, sim_credential, staff_client, partner_simulator
):
    general = settled(post_enrollment(staff_client, sandicare_service="general_medicine").pk)
    nutrition = settled(post_enrollment(staff_client, sandicare_service="nutrition", consultation_reason="ignored").pk)
    assert general.status == Status.ENROLLED, celery_worker_process.log()[-3000:]
    assert nutrition.status == Status.ENROLLED
    assert general.enrollment_url.startswith("https://nimbo.example/waiting-room/")
    assert nutrition.enrollment_url == "https://care.sandicare.example/programs/1002/nutrition"
    first, second = partner_simulator.received(ENROLL)
    assert first["json"]["consultationReason"] == "Sore throat"
    assert second["json"]["service"] == "nutrition"
    assert "consultationReason" not in second["json"]
    assert partner_simulator.successful_creates(ENROLL) == 2


@pytest.mark.worker
def test_worker_retries_a_503_then_enrolls(celery_worker_process, sim_credential, staff_client, partner_simulator):
    partner_simulator.inject(ENROLL, "http_503", times=1)
    booking = post_enrollment(staff_client, sandicare_service="psychology")
    booking = wait_for(lambda: Booking.objects.filter(pk=booking.pk, status__in=FINAL).first(), timeout=10)
    assert booking.status == Status.ENROLLED
    outcomes = list(UpstreamCall.objects.filter(booking=booking).order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["server_error", "ok"]


@pytest.mark.worker
def test_worker_unknown_email_fails_once_with_the_subscription_message(
    celery_worker_process, sim_credential, staff_client, partner_simulator
):
    booking = settled(post_enrollment(staff_client, email="nobody@example.org").pk)
    assert booking.status == Status.FAILED
    assert booking.partner_message == NO_SUBSCRIPTION_MESSAGE
    assert len(partner_simulator.received(ENROLL)) == 1


@pytest.mark.worker
def test_worker_401_flags_the_credential(celery_worker_process, sim_credential, staff_client, partner_simulator):
    partner_simulator.inject(ENROLL, "http_401")
    booking = settled(post_enrollment(staff_client).pk)
    assert booking.status == Status.NEEDS_ATTENTION
    sim_credential.refresh_from_db()
    assert sim_credential.is_failing


# --- the key prefix, end to end ------------------------------------------------------------


@pytest.mark.parametrize(
    "environment, wrong_key",
    [("sandbox", demo_keys.SANDICARE_PRODUCTION_KEY), ("production", demo_keys.SANDICARE_SANDBOX_KEY)],
)
def test_a_key_of_the_other_environment_cannot_be_saved(sandicare_partner, environment, wrong_key):
    credential = Credential(
        partner=sandicare_partner,
        environment=environment,
        base_url="https://integrations-sandbox.sandicare.mx/api/v1",
        api_key=wrong_key,
        program_ids="1001",
    )
    with pytest.raises(ValidationError) as excinfo:
        credential.full_clean()
    assert "api_key" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        credential.save()
    assert not Credential.objects.exists()


@pytest.fixture
def admin_client_(client, transactional_db, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(username="root-integration", password="x"))
    return client


def credential_form(partner, environment, key, **changes):
    return {
        "partner": partner.pk,
        "environment": environment,
        "label": "",
        "base_url": "https://integrations-sandbox.sandicare.mx/api/v1",
        "is_active": "on",
        "auth_token": "",
        "auth_prefix": "",
        "cmt_secret": "",
        "cmt_algorithm": "sha256",
        "cmt_encoding": "hex",
        "product_code": "",
        "api_key": key,
        "program_ids": "1001",
        **changes,
    }


@pytest.mark.parametrize(
    "environment, wrong_key",
    [("sandbox", demo_keys.SANDICARE_PRODUCTION_KEY), ("production", demo_keys.SANDICARE_SANDBOX_KEY)],
)
def test_the_admin_form_refuses_a_key_of_the_other_environment(
    admin_client_, sandicare_partner, environment, wrong_key
):
    response = admin_client_.post(
        reverse("admin:partners_credential_add"), credential_form(sandicare_partner, environment, wrong_key)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "this key belongs to the other environment" in html
    assert wrong_key not in html  # the secret is never echoed back
    assert not Credential.objects.exists()


def test_the_admin_form_refuses_moving_a_sandbox_key_to_production(admin_client_, sandicare_partner):
    credential = Credential.objects.create(
        partner=sandicare_partner,
        environment="sandbox",
        base_url="https://integrations-sandbox.sandicare.mx/api/v1",
        api_key=demo_keys.SANDICARE_SANDBOX_KEY,
        program_ids="1001",
    )
    url = reverse("admin:partners_credential_change", args=[credential.pk])
    # Blank key input keeps the stored (sandbox) key; the environment alone changes.
    response = admin_client_.post(url, credential_form(sandicare_partner, "production", ""))
    assert response.status_code == 200
    assert "this key belongs to the other environment" in response.content.decode()
    credential.refresh_from_db()
    assert credential.environment == "sandbox"


def _enrollment_for(partner, user=None):
    booking = booking_create_draft(partner_code=partner.code, actor=user)
    return booking_update_selection(
        booking_id=booking.pk,
        actor=user,
        program_id="1002",
        sandicare_service="nutrition",
        email="patient@example.org",
        patient_dob=datetime.date(1990, 5, 17),
    )


@pytest.mark.parametrize("environment", ["sandbox", "production"])
def test_the_client_never_sends_a_key_of_the_other_environment(sandicare_partner, partner_simulator, environment):
    other = "production" if environment == "sandbox" else "sandbox"
    credential = Credential.objects.create(
        partner=sandicare_partner,
        environment=environment,
        base_url=partner_simulator.base_url(SIMULATOR_API[environment]),
        api_key=KEYS[environment],
        program_ids="1002",
    )
    # A row changed around save() (raw SQL, a bulk update, a restored dump) must still not send it.
    Credential.objects.filter(pk=credential.pk).update(api_key=KEYS[other])
    credential.refresh_from_db()
    booking = _enrollment_for(sandicare_partner)
    with pytest.raises(PartnerError):
        sandicare.enroll(credential, booking=booking)
    sent_keys = [r["headers"].get("x-api-key") for r in partner_simulator.received()]
    assert KEYS[other] not in sent_keys
    assert partner_simulator.received(ENROLL) == []


def test_the_sandbox_sends_its_own_key_to_its_own_api(sandicare_partner, partner_simulator):
    credential = Credential.objects.create(
        partner=sandicare_partner,
        environment="sandbox",
        base_url=partner_simulator.base_url(SIMULATOR_API["sandbox"]),
        api_key=KEYS["sandbox"],
        program_ids="1002",
    )
    enrollment = sandicare.enroll(credential, booking=_enrollment_for(sandicare_partner))
    assert enrollment.url.startswith("https://")
    (request,) = partner_simulator.received(ENROLL)
    assert request["headers"]["x-api-key"] == KEYS["sandbox"]


def test_production_never_sends_over_plain_http(sandicare_partner, partner_simulator):
    credential = Credential.objects.create(
        partner=sandicare_partner,
        environment="production",
        base_url=partner_simulator.base_url(SIMULATOR_API["production"]),  # http on loopback
        api_key=KEYS["production"],
        program_ids="1002",
    )
    with pytest.raises(PartnerError, match="must use https://"):
        sandicare.enroll(credential, booking=_enrollment_for(sandicare_partner))
    assert partner_simulator.received() == []
