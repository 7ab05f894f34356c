"""Retention: past ``PATIENT_DATA_RETENTION_DAYS``, patient identifiers go from bookings, their
partner calls and messages, and from the directory; what finance reads does not change."""

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from access_records.models import AccessRecord
from bookings.models import Booking
from messaging.models import Message
from partners.models import UpstreamCall
from partners.redaction import mask_email, mask_mobile, mask_name
from patients.models import Patient, PatientChange
from privacy import erasure
from privacy.tasks import apply_retention
from tests.privacy.dataset import RETENTION_DAYS, finance_view, make_dataset, snapshot, whole_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("retention_days")]


@pytest.fixture
def retention_days():
    with override_settings(PATIENT_DATA_RETENTION_DAYS=RETENTION_DAYS):
        yield


@pytest.fixture
def data():
    return make_dataset()


def identifiers_of(booking: Booking) -> list[str]:
    """The values, and their masks as the call log and messages stored them."""
    masks = [mask_mobile(booking.mobile), mask_email(booking.email), mask_name(booking.patient_name)]
    return [booking.patient_name, booking.email, booking.mobile, *masks, "King Fahd", "Headache"]


def stored_text(booking_id: int) -> str:
    """Everything stored about a booking, its calls, messages and history, as one text."""
    return json.dumps(snapshot(Booking.objects.filter(pk=booking_id)), default=str)


def test_the_setting_and_the_daily_run_are_declared():
    assert settings.PATIENT_DATA_RETENTION_DAYS == RETENTION_DAYS
    schedule = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert schedule["task"] == apply_retention.name == "privacy.tasks.apply_retention"


def test_past_the_limit_no_identifier_is_left_and_finance_reads_the_same(data):
    finance_before = finance_view()
    new_before = snapshot(data.new)
    changes = apply_retention()
    assert changes["bookings"] == len(data.old) == 12
    assert changes["messages"] == changes["booking_events"] == 12
    assert changes["partner_calls"] == 24  # the booking's own, and the SMS provider's for its message
    assert (changes["patients"], changes["patient_changes"]) == (1, 1)
    assert finance_view() == finance_before
    assert snapshot(data.new) == new_before
    for booking in data.old:
        text = stored_text(booking.pk)
        leaked = [value for value in identifiers_of(booking) if value in text]
        assert not leaked, f"{booking.reference} still holds {leaked}"
        booking.refresh_from_db()
        assert booking.pseudonymised_at is not None
        assert (booking.patient_dob, booking.patient_gender, booking.patient_id) == (None, "", None)
        assert booking.location == {"city": "Riyadh"}
        assert booking.upstream_response["booking_id"] == booking.upstream_booking_id
    call = UpstreamCall.objects.filter(booking=data.old[1]).get()
    assert call.request_body["mobile"] == call.request_body["patient_name"] == "[redacted]"
    assert call.request_body["slot_id"] == "S2"
    assert json.loads(call.response_body)["booking_id"] == data.old[1].upstream_booking_id
    assert set(Message.objects.filter(booking__in=data.old).values_list("recipient_masked", flat=True)) == {
        "[redacted]"
    }
    assert not Patient.objects.filter(pk=data.old_patient.pk).exists()
    assert not PatientChange.objects.filter(patient_id=data.old_patient.pk).exists()
    assert set(Patient.objects.values_list("pk", flat=True)) == {data.kept_patient.pk, data.new_patient.pk}


def test_a_second_run_changes_nothing(data):
    apply_retention()
    after_first = whole_snapshot()
    assert set(apply_retention().values()) == {0}
    assert whole_snapshot() == after_first


def test_a_dry_run_counts_what_the_run_changes_and_changes_nothing(data):
    before = whole_snapshot()
    counted = erasure.apply_retention(dry_run=True)
    assert whole_snapshot() == before
    assert erasure.apply_retention().as_dict() == counted.as_dict()


def test_the_command_says_what_it_would_change(data, capsys):
    before = whole_snapshot()
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Would change" in out
    assert "  bookings: 12\n" in out and "  patients: 1\n" in out and "  partner_calls: 24\n" in out
    assert whole_snapshot() == before
    call_command("apply_retention")
    assert "  bookings: 12\n" in capsys.readouterr().out
    assert Booking.objects.filter(pseudonymised_at__isnull=False).count() == 12


def test_access_records_stay_and_name_only_ids(data, operations_user, rf):
    from access_records.services import record_access

    request = rf.get("/")
    request.user = operations_user
    record_access(request, AccessRecord.Kind.PATIENT, patient_id=data.old_patient.pk)
    record_access(request, AccessRecord.Kind.BOOKING_RECORD, booking=data.old[0])
    before = list(AccessRecord.objects.order_by("pk").values())
    apply_retention()
    assert list(AccessRecord.objects.order_by("pk").values()) == before
    identifiers = [value for booking in data.old for value in identifiers_of(booking)]
    assert not [value for value in identifiers if value in json.dumps(before, default=str)]


def test_a_shorter_setting_reaches_newer_bookings(data):
    with override_settings(PATIENT_DATA_RETENTION_DAYS=30):
        changes = apply_retention()
    assert changes["bookings"] == 24
