"""Sending a booking: at most one create call, and the end state CONTRACT.md §5 defines."""

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bookings import products, tasks
from bookings.models import Booking
from bookings.services.drafts import booking_create_draft, booking_update_selection
from bookings.services.outcomes import SendResult
from bookings.services.sending import booking_send
from bookings.services.submission import booking_submit
from bookings.services.sweeper import sweep_stuck_bookings
from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import Status
from partners import errors
from partners.models import Partner, UpstreamCall

pytestmark = pytest.mark.django_db


@dataclass
class FakeMoney:
    amount: Decimal
    currency: str


@dataclass
class FakeConfirmation:
    booking_id: str = "SNR-1"
    payment_url: str = "https://pay.example/SNR-1"
    amount: FakeMoney | None = field(default_factory=lambda: FakeMoney(Decimal("90"), "SAR"))
    raw: dict = field(default_factory=lambda: {"booking_id": "SNR-1"})


@dataclass
class FakeEnrollment:
    url: str = "https://nimbo.example/waiting-room/1"
    is_waiting_room: bool = True
    raw: dict = field(default_factory=lambda: {"url": "https://nimbo.example/waiting-room/1"})


class ScriptedPartner:
    """Answers create calls from a script: an exception instance is raised, anything else returned."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = 0

    def __call__(self, credential, *, booking, attempt=1):
        self.calls += 1
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def video_booking(operations_user, sanar_video_credential):
    booking = booking_create_draft(partner_code=Partner.Code.SANAR_VIDEO, actor=operations_user)
    return booking_update_selection(
        booking_id=booking.pk,
        actor=operations_user,
        speciality_id="DP34",
        speciality_name="Family Medicine",
        doctor_id="EMP86190",
        doctor_name="Dr. Prince George",
        appointment_date="2030-01-02",
        slot_id="S-0900",
        appointment_time="09:00",
        patient_name="Sara Ali",
        mobile="+966501234567",
        email="sara@example.org",
        patient_gender="Female",
        patient_dob="1990-01-01",
    )


@pytest.fixture
def enrollment_booking(operations_user, sandicare_credential):
    booking = booking_create_draft(partner_code=Partner.Code.SANDICARE, actor=operations_user)
    return booking_update_selection(
        booking_id=booking.pk,
        actor=operations_user,
        program_id="1001",
        sandicare_service="general_medicine",
        email="patient@example.org",
        patient_dob="1990-05-17",
        consultation_reason="Headache",
    )


def script(monkeypatch, partner_code, *answers) -> ScriptedPartner:
    fake = ScriptedPartner(*answers)
    product = dataclasses.replace(products.PRODUCTS[partner_code], create_call=fake)
    monkeypatch.setitem(products.PRODUCTS, partner_code, product)
    return fake


def queued(booking, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return booking_submit(booking_id=booking.pk, actor=actor)


def statuses(booking):
    return [event.to_status for event in booking.events.order_by("created_at", "id")]


def test_draft_gets_a_human_reference(video_booking):
    assert video_booking.reference == f"BK-{video_booking.pk:06d}"
    assert video_booking.status == Status.DRAFT


def test_submit_queues_once_and_enqueues_on_commit(
    video_booking, operations_user, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(tasks.send_booking, "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        booking_submit(booking_id=video_booking.pk, actor=operations_user)
    with django_capture_on_commit_callbacks(execute=True):
        booking_submit(booking_id=video_booking.pk, actor=operations_user)  # double click
    assert sent == [video_booking.pk]
    assert Booking.objects.get(pk=video_booking.pk).status == Status.QUEUED


def test_incomplete_draft_is_refused(operations_user, sanar_video_credential):
    booking = booking_create_draft(partner_code=Partner.Code.SANAR_VIDEO, actor=operations_user)
    with pytest.raises(ValidationError, match="doctor id"):
        booking_submit(booking_id=booking.pk, actor=operations_user)


def test_success_stores_booking_id_payment_url_and_amount(
    video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks
):
    partner = script(monkeypatch, Partner.Code.SANAR_VIDEO, FakeConfirmation())
    queued(video_booking, operations_user, django_capture_on_commit_callbacks)
    assert booking_send(booking_id=video_booking.pk, retries_done=0, max_retries=2) is SendResult.DONE
    booking = Booking.objects.get(pk=video_booking.pk)
    assert booking.status == Status.AWAITING_PAYMENT
    assert booking.upstream_booking_id == "SNR-1"
    assert booking.payment_url == "https://pay.example/SNR-1"
    assert (booking.amount, booking.currency) == (Decimal("90"), "SAR")
    assert statuses(booking) == [Status.DRAFT, Status.QUEUED, Status.SUBMITTING, Status.AWAITING_PAYMENT]
    assert partner.calls == 1


def test_enrollment_success_stores_the_url(
    enrollment_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks
):
    script(monkeypatch, Partner.Code.SANDICARE, FakeEnrollment())
    queued(enrollment_booking, operations_user, django_capture_on_commit_callbacks)
    booking_send(booking_id=enrollment_booking.pk, retries_done=0, max_retries=2)
    booking = Booking.objects.get(pk=enrollment_booking.pk)
    assert booking.status == Status.ENROLLED
    assert booking.enrollment_url == "https://nimbo.example/waiting-room/1"


@pytest.mark.parametrize(
    "error, retries_done, expected",
    [
        (errors.ValidationFailed("mobile is invalid"), 0, Status.FAILED),
        (errors.SlotUnavailable("slot taken"), 0, Status.SLOT_UNAVAILABLE),
        (errors.NotFound("doctor not found"), 0, Status.FAILED),
        (errors.Unauthorized("bad token"), 0, Status.NEEDS_ATTENTION),
        (errors.SignatureMismatch("bad cmt"), 0, Status.NEEDS_ATTENTION),
        (errors.ServerError("down"), 0, Status.QUEUED),
        (errors.ServerError("down"), 2, Status.NEEDS_ATTENTION),
        (errors.TimeoutBeforeSend("connect timeout"), 0, Status.QUEUED),
        (errors.TimeoutAfterSend("read timeout"), 0, Status.VERIFY_WITH_PARTNER),
        (errors.BadResponse("html page"), 0, Status.VERIFY_WITH_PARTNER),
        (errors.NoActiveCredential("none"), 0, Status.NEEDS_ATTENTION),
    ],
)
def test_failure_end_states(
    video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks, error, retries_done, expected
):
    script(monkeypatch, Partner.Code.SANAR_VIDEO, error)
    queued(video_booking, operations_user, django_capture_on_commit_callbacks)
    result = booking_send(booking_id=video_booking.pk, retries_done=retries_done, max_retries=2)
    booking = Booking.objects.get(pk=video_booking.pk)
    assert booking.status == expected
    assert result is (SendResult.RETRY if expected == Status.QUEUED else SendResult.DONE)
    # nothing the staff member entered is lost
    assert (booking.patient_name, booking.mobile, booking.slot_id) == ("Sara Ali", "+966501234567", "S-0900")


def test_validation_message_is_kept_for_the_form(
    video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks
):
    script(monkeypatch, Partner.Code.SANAR_VIDEO, errors.ValidationFailed("mobile must be a Saudi number"))
    queued(video_booking, operations_user, django_capture_on_commit_callbacks)
    booking_send(booking_id=video_booking.pk, retries_done=0, max_retries=2)
    assert Booking.objects.get(pk=video_booking.pk).partner_message == "mobile must be a Saudi number"


def test_sandicare_404_says_no_active_subscription(
    enrollment_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks, sandicare_credential
):
    call = UpstreamCall.objects.create(
        partner=sandicare_credential.partner,
        credential=sandicare_credential,
        operation="enroll",
        method="POST",
        url="https://sandicare.test/api/v1/meetings/enroll",
        outcome="not_found",
        http_status=404,
    )
    script(monkeypatch, Partner.Code.SANDICARE, errors.NotFound("Patient not found", call=call))
    queued(enrollment_booking, operations_user, django_capture_on_commit_callbacks)
    booking_send(booking_id=enrollment_booking.pk, retries_done=0, max_retries=2)
    booking = Booking.objects.get(pk=enrollment_booking.pk)
    assert booking.status == Status.FAILED
    assert "No active Sandicare subscription matches this email and date of birth" in booking.partner_message


def test_unauthorized_marks_the_credential_failing(
    video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks, sanar_video_credential
):
    call = UpstreamCall.objects.create(
        partner=sanar_video_credential.partner,
        credential=sanar_video_credential,
        operation="book",
        method="POST",
        url="https://sanar.test/v1/book",
        outcome="unauthorized",
        body_status="1002",
    )
    script(monkeypatch, Partner.Code.SANAR_VIDEO, errors.Unauthorized("token expired", call=call))
    queued(video_booking, operations_user, django_capture_on_commit_callbacks)
    booking_send(booking_id=video_booking.pk, retries_done=0, max_retries=2)
    sanar_video_credential.refresh_from_db()
    assert sanar_video_credential.is_failing
    event = Booking.objects.get(pk=video_booking.pk).events.last()
    assert event.upstream_call == call


def test_delivery_that_finds_submitting_goes_to_verify_and_never_sends(
    video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks
):
    partner = script(monkeypatch, Partner.Code.SANAR_VIDEO, FakeConfirmation())
    queued(video_booking, operations_user, django_capture_on_commit_callbacks)
    from django.db import transaction

    with transaction.atomic():  # a first delivery claimed it, then its worker died mid-call
        booking_transition(booking=lock_booking(video_booking.pk), to=Status.SUBMITTING, reason="test")
    booking_send(booking_id=video_booking.pk, retries_done=0, max_retries=2)
    assert partner.calls == 0
    assert Booking.objects.get(pk=video_booking.pk).status == Status.VERIFY_WITH_PARTNER


def test_task_delivered_twice_sends_one_create(
    video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks, settings
):
    partner = script(monkeypatch, Partner.Code.SANAR_VIDEO, FakeConfirmation())
    queued(video_booking, operations_user, django_capture_on_commit_callbacks)
    tasks.send_booking.apply(args=[video_booking.pk])
    tasks.send_booking.apply(args=[video_booking.pk])
    assert partner.calls == 1
    assert Booking.objects.get(pk=video_booking.pk).status == Status.AWAITING_PAYMENT


def test_task_retries_server_errors_then_succeeds(
    video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks
):
    partner = script(monkeypatch, Partner.Code.SANAR_VIDEO, errors.ServerError("5000"), FakeConfirmation())
    queued(video_booking, operations_user, django_capture_on_commit_callbacks)
    tasks.send_booking.apply(args=[video_booking.pk])
    booking = Booking.objects.get(pk=video_booking.pk)
    assert partner.calls == 2
    assert booking.status == Status.AWAITING_PAYMENT
    assert booking.submit_attempts == 2
    assert statuses(booking) == [
        Status.DRAFT,
        Status.QUEUED,
        Status.SUBMITTING,
        Status.QUEUED,
        Status.SUBMITTING,
        Status.AWAITING_PAYMENT,
    ]


def test_task_gives_up_after_max_retries(
    video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks
):
    partner = script(monkeypatch, Partner.Code.SANAR_VIDEO, errors.ServerError("5000"))
    queued(video_booking, operations_user, django_capture_on_commit_callbacks)
    tasks.send_booking.apply(args=[video_booking.pk])
    assert partner.calls == tasks.send_booking.max_retries + 1
    assert Booking.objects.get(pk=video_booking.pk).status == Status.NEEDS_ATTENTION


def test_sweeper_requeues_lost_enqueues_and_flags_lost_sends(
    video_booking, operations_user, monkeypatch, django_capture_on_commit_callbacks, settings
):
    from django.utils import timezone

    sent = []
    queued(video_booking, operations_user, django_capture_on_commit_callbacks)
    later = timezone.now() + timezone.timedelta(seconds=settings.QUEUED_STUCK_AFTER_SECONDS + 1)
    assert sweep_stuck_bookings(now=later, requeue=sent.append) == {"requeued": 1, "flagged": 0}
    assert sent == [video_booking.pk]
    from django.db import transaction

    with transaction.atomic():
        booking_transition(booking=lock_booking(video_booking.pk), to=Status.SUBMITTING, reason="test")
    later = timezone.now() + timezone.timedelta(seconds=settings.SUBMITTING_STUCK_AFTER_SECONDS + 1)
    assert sweep_stuck_bookings(now=later, requeue=sent.append) == {"requeued": 0, "flagged": 1}
    assert Booking.objects.get(pk=video_booking.pk).status == Status.VERIFY_WITH_PARTNER
