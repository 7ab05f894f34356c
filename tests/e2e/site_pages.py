"""Every page of the portal for every role, with the data it needs, for the layout and axe tests.

``build_site(simulator)`` writes one object of each kind a page shows (drafts of each flow at
their last step, a booked booking with a payment link, a settlement import) and returns the
pages each persona can open, as ``{persona: [(name, path), ...]}``.
"""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bookings.services.reconciliation import settlement_import_create
from bookings.states import Status
from partner_simulator import demo_keys
from partners.models import Credential, Partner
from patients.models import Patient
from tests.bookings.views import vaccination_support, video_support
from tests.factories import get_partner, make_booking, make_call, make_event
from tests.security.conftest import enrollment_draft

PARTNERS = [
    (Partner.Code.SANAR_VIDEO, Partner.Vendor.SANAR, "Sanar video consultation"),
    (Partner.Code.SANAR_VACCINATION, Partner.Vendor.SANAR, "Sanar kids vaccination"),
    (Partner.Code.SANDICARE, Partner.Vendor.SANDICARE, "Sandicare teleconsult enrollment"),
]


def _credentials(simulator) -> None:
    sanar = {"auth_token": demo_keys.SANAR_TOKEN, "cmt_secret": demo_keys.SANAR_CMT_SECRET}
    for code, values in (
        (Partner.Code.SANAR_VIDEO, sanar),
        (Partner.Code.SANAR_VACCINATION, {**sanar, "product_code": demo_keys.SANAR_PRODUCT_CODE}),
        (
            Partner.Code.SANDICARE,
            {"api_key": demo_keys.SANDICARE_SANDBOX_KEY, "program_ids": ",".join(demo_keys.SANDICARE_PROGRAM_IDS)},
        ),
    ):
        Credential.objects.create(
            partner=get_partner(code),
            environment=Credential.Environment.SANDBOX,
            base_url=simulator.base_url(code),
            **values,
        )


def build_site(simulator, users: dict) -> dict[str, list[tuple[str, str]]]:
    for code, vendor, name in PARTNERS:
        Partner.objects.get_or_create(code=code, defaults={"vendor": vendor, "name": name})
    _credentials(simulator)
    ops, finance = users["operations"], users["finance"]
    video_support.make_catalogue()
    vaccination_support.make_catalogue()
    o = SimpleNamespace(
        video=video_support.video_draft(ops, through="patient"),
        vaccination=vaccination_support.vaccination_draft(ops, through="child"),
        enrollment=enrollment_draft(ops),
        booked=make_booking(
            status=Status.AWAITING_PAYMENT,
            payment_url="https://pay.sanar.example/checkout/4f1c9a7e-2b1d-4c55-9d0e-6a3f1b2c7d88?lang=en&source=clinic",
            upstream_booking_id="SNR-BOOKED-1",
            patient_name="Layla Hassan Al-Qahtani",
            doctor_name="Dr. Prince George",
            speciality_name="Family Medicine",
            appointment_date=datetime.date.today() + datetime.timedelta(days=1),
            appointment_time="09:30",
            created_by=ops,
        ),
    )
    o.gave_up = make_booking(status=Status.NEEDS_ATTENTION, submit_attempts=3, patient_name="Sara Ali", created_by=ops)
    failure = make_call(booking=o.gave_up, outcome="server_error", body_status="5000")
    make_event(o.gave_up, to_status=Status.NEEDS_ATTENTION, from_status=Status.SUBMITTING, upstream_call=failure)
    call = make_call(booking=o.booked)
    make_event(o.booked, to_status=Status.AWAITING_PAYMENT, from_status=Status.SUBMITTING, upstream_call=call)
    csv = f"partner_booking_id,amount,currency,paid_at,status\nSNR-BOOKED-1,90.00,SAR,{datetime.date.today()},paid\n"
    settlement, _ = settlement_import_create(
        partner=get_partner(Partner.Code.SANAR_VIDEO),
        uploaded_file=SimpleUploadedFile("settlement.csv", csv.encode(), content_type="text/csv"),
        actor=finance,
    )

    patient = Patient.objects.create(
        full_name="Layla Hassan Al-Qahtani", mobile="+966501234567", email="layla@example.org"
    )

    def at(name, obj=None):
        return (name, reverse(f"bookings:{name}", args=[obj.pk] if obj else None))

    shared = [at("dashboard"), at("partner-health")]
    records = [at("list"), at("detail", o.booked)]
    flows = [
        at("start"),
        at("status", o.booked),
        at("handoff-slip", o.booked),
        ("status-gave-up", reverse("bookings:status", args=[o.gave_up.pk])),
        at("cancel", o.gave_up),
        *(at(f"video-{step}", o.video) for step in ("speciality", "doctor", "slot", "patient", "confirm")),
        *(
            at(f"vaccination-{step}", o.vaccination)
            for step in ("services", "details", "where", "slot", "child", "confirm")
        ),
        at("enrollment-start"),
        at("enrollment-history"),
        at("enrollment-edit", o.enrollment),
        ("patients", reverse("patients:list")),
        ("patient-add", reverse("patients:add")),
        ("patient", reverse("patients:detail", args=[patient.pk])),
        ("patient-edit", reverse("patients:edit", args=[patient.pk])),
    ]
    return {
        "anonymous": [("login", reverse("accounts:login"))],
        "operations": [*shared, *records, *flows],
        "finance": [
            *shared,
            *records,
            at("settlements"),
            at("settlement", settlement),
            (
                "settlement-line",
                reverse("bookings:settlement-line", args=[settlement.pk, settlement.lines.order_by("pk").first().pk]),
            ),
        ],
        "partner_admin": [*shared, ("style-guide", reverse("ui:style-guide"))],
    }
