"""Fixtures of the security tests: one user per persona and one object of each kind a URL needs."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import roles
from bookings.models import SettlementLine
from bookings.services.drafts import booking_create_draft, booking_update_selection
from bookings.services.reconciliation import settlement_import_create
from bookings.states import Status
from messaging.models import Message
from partner_simulator import demo_keys
from partners.models import Credential, Doctor, Partner, Speciality, VaccinationService
from patients.models import Patient
from tests.bookings.views import vaccination_support, video_support
from tests.factories import get_partner, make_booking, make_call, make_event

ROLE_OF = {"operations": roles.OPERATIONS, "finance": roles.FINANCE, "partner_admin": roles.PARTNER_ADMINS}


@pytest.fixture
def persona_users(db, django_user_model) -> dict:
    """``{persona: user}``; ``anonymous`` is None. The partner admin is staff, as the admin needs."""
    users = {"anonymous": None}
    for persona, role in ROLE_OF.items():
        user = django_user_model.objects.create_user(
            username=f"sec-{persona}", password="pass-for-tests", is_staff=persona == "partner_admin"
        )
        user.groups.add(Group.objects.get(name=role))
        users[persona] = user
    users["superuser"] = django_user_model.objects.create_superuser(username="sec-root", password="pass-for-tests")
    return users


def enrollment_draft(user, **fields):
    booking = booking_create_draft(partner_code=Partner.Code.SANDICARE, actor=user)
    selection = {
        "program_id": "1001",
        "sandicare_service": "general_medicine",
        "email": "patient@example.org",
        "patient_dob": datetime.date(1990, 5, 17),
        "consultation_reason": "Sore throat",
        **fields,
    }
    return booking_update_selection(booking_id=booking.pk, actor=user, **selection)


@pytest.fixture
def site_objects(persona_users):
    """Objects the project's URLs take as ``pk``: a draft of each flow, a booked booking, a settlement
    import, a credential, a partner call, an event, a settlement line and the catalogues."""
    ops, finance = persona_users["operations"], persona_users["finance"]
    video_support.make_catalogue()
    vaccination_support.make_catalogue()
    video = video_support.video_draft(ops, through="patient")
    vaccination = vaccination_support.vaccination_draft(ops, through="child")
    enrollment = enrollment_draft(ops)
    booked = make_booking(
        status=Status.AWAITING_PAYMENT,
        payment_url="https://pay.sanar.example/checkout/1",
        upstream_booking_id="SNR-BOOKED-1",
        created_by=ops,
    )
    call = make_call(booking=booked)
    event = make_event(booked, to_status=Status.AWAITING_PAYMENT, from_status=Status.SUBMITTING, upstream_call=call)
    csv = f"partner_booking_id,amount,currency,paid_at,status\nSNR-BOOKED-1,90.00,SAR,{datetime.date.today()},paid\n"
    settlement, _ = settlement_import_create(
        partner=get_partner(Partner.Code.SANAR_VIDEO),
        uploaded_file=SimpleUploadedFile("settlement.csv", csv.encode(), content_type="text/csv"),
        actor=finance,
    )
    credential = Credential.objects.create(
        is_active=False,  # no partner call leaves the test: the views meet NoActiveCredential
        partner=get_partner(Partner.Code.SANAR_VIDEO),
        environment=Credential.Environment.SANDBOX,
        base_url="https://sanar.test/v1",
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
    )
    message = Message.objects.create(
        booking=booked, channel="email", recipient_masked="p***@example.com", language="en"
    )
    return SimpleNamespace(
        message=message,
        video=video,
        vaccination=vaccination,
        enrollment=enrollment,
        booked=booked,
        call=call,
        event=event,
        settlement=settlement,
        line=SettlementLine.objects.filter(settlement_import=settlement).first(),
        credential=credential,
        partner=get_partner(Partner.Code.SANAR_VIDEO),
        speciality=Speciality.objects.first(),
        doctor=Doctor.objects.first(),
        vaccination_service=VaccinationService.objects.first(),
        patient=Patient.objects.create(full_name="Matrix Patient", mobile="+966501234567"),
    )
