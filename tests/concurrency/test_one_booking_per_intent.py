"""Each path that creates or sends, 20 trials of 2-10 identical posts at once, through a real
Celery worker and the partner simulator over HTTP: one booking and one upstream create per
staff intent, no server error.

The schedule is fixed (trial n posts 2 + n % 9 times), so a failure replays as it happened.
A path posts all its trials first (the worker sends the earlier ones meanwhile), then waits
for the worker and checks each trial.
"""

import datetime
import re
import uuid

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts import roles
from bookings.models import Booking
from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import IN_FLIGHT, NOT_ENROLLED, Status
from partner_simulator import data
from partners.models import Partner
from tests.concurrency.conftest import deadlocks_so_far, race
from tests.reliability.faults import CREATE_OPERATIONS, ROWS_BY_LABEL
from tests.reliability.portal import Portal
from tests.worker_fixtures import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

TRIALS = 20
CONTROL = ROWS_BY_LABEL["no fault (control)"]
SANDICARE_DOB = datetime.date(1990, 5, 17)
CONFIRM_URLS = {
    Partner.Code.SANAR_VIDEO: "bookings:video-confirm",
    Partner.Code.SANAR_VACCINATION: "bookings:vaccination-confirm",
}


def concurrency(trial: int) -> int:
    return 2 + trial % 9


def booked_or_answered_late(booking: Booking, booked: str) -> bool:
    """Booked; or the partner's answer came after the worker's read timeout (a loaded machine),
    which leaves it for a person to verify and is still one create, never a second one."""
    if booking.status == booked:
        return True
    last = booking.events.order_by("-created_at", "-id").first()
    return booking.status == Status.VERIFY_WITH_PARTNER and last.reason.startswith("timeout_after_send")


@pytest.fixture
def staff(transactional_db, django_user_model):
    user = django_user_model.objects.create_user(username="ops-concurrency", password="x")
    user.groups.add(Group.objects.get_or_create(name=roles.OPERATIONS)[0])
    return user


@pytest.fixture
def session(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def portal(celery_worker_process, partner_simulator, staff):
    return Portal(partner_simulator, staff)


@pytest.fixture
def trial_patients(monkeypatch):
    """A Sandicare subscriber per trial, so no trial is a same-day repeat of another."""

    def email(path: str, trial: int) -> str:
        address = f"{path}.{trial}@example.org"
        patient = {"date_of_birth": SANDICARE_DOB.isoformat(), "subscriptions": {"1002": datetime.date(2099, 12, 31)}}
        monkeypatch.setitem(data.SANDICARE_PATIENTS, address, patient)
        return address

    return email


def settle(booking_ids, timeout: float = 60) -> None:
    wait_for(
        lambda: not Booking.objects.filter(pk__in=booking_ids, status__in=IN_FLIGHT).exists(),
        timeout=timeout,
        interval=0.05,
    )


def posted(tally, codes: list[int], *, intents: int = 1) -> None:
    tally.trials += 1
    tally.posts += len(codes)
    tally.intents += intents
    tally.server_errors += sum(code >= 500 for code in codes)
    tally.conflicts += codes.count(409)


def move(booking: Booking, *statuses: str) -> None:
    for status in statuses:
        with transaction.atomic():
            booking_transition(booking=lock_booking(booking.pk), to=status, reason="set up by the test")


# --- the Book button of the two Sanar flows -----------------------------------------------------


@pytest.mark.parametrize("code", list(CONFIRM_URLS), ids=["video", "vaccination"])
def test_confirm_posted_at_once_books_once(code, portal, session, tally):
    result = tally(f"{code.removeprefix('sanar_')} confirm")
    before = deadlocks_so_far()
    trials = []
    for trial in range(TRIALS):
        booking = portal.draft(code, CONTROL).booking
        url = reverse(CONFIRM_URLS[code], args=[booking.pk])
        codes = race(session, [lambda client: client.post(url)] * concurrency(trial))
        posted(result, codes)
        trials.append((booking, codes))
    settle([booking.pk for booking, _ in trials])
    result.deadlocks = deadlocks_so_far() - before
    for trial, (booking, codes) in enumerate(trials):
        booking.refresh_from_db()
        creates = portal.router.creates[booking.reference]
        result.bookings += 1
        result.sent += booking.status != Status.DRAFT
        result.creates += creates
        assert booked_or_answered_late(booking, Status.AWAITING_PAYMENT), (trial, booking.events.last().reason)
        assert creates == 1, trial
        assert all(code < 500 for code in codes), (trial, codes)
    assert result.creates == result.intents == TRIALS


# --- the Sandicare form: creates the draft and sends it in one POST ----------------------------


def enrollment_form(email: str, intent: str | None) -> dict:
    fields = {
        "program_id": "1002",
        "sandicare_service": "nutrition",
        "email": email,
        "patient_dob": SANDICARE_DOB.isoformat(),
        "consultation_reason": "",
    }
    return {**fields, "intent": intent} if intent else fields


def form_intent(session: Client) -> str:
    page = session.get(reverse("bookings:enrollment-start")).content.decode()
    return re.search(r'name="intent" value="([0-9a-f-]{36})"', page).group(1)


def enrollments(email: str):
    return Booking.objects.filter(partner__code=Partner.Code.SANDICARE, email=email)


@pytest.mark.parametrize(
    "how", ["one form posted again", "without the form key", "two tabs"], ids=["same-form", "no-key", "two-tabs"]
)
def test_enrollment_posted_at_once_enrolls_once(how, portal, session, partner_simulator, trial_patients, tally):
    """One form posted N times (double click, reload) is one intent. N tabs are N forms: the
    first enrolls, the others stop at "enroll again?" and make no second enrollment."""
    result = tally(f"enroll, {how}")
    before = deadlocks_so_far()
    start = reverse("bookings:enrollment-start")
    trials = []
    for trial in range(TRIALS):
        email = trial_patients(how.replace(" ", "-"), trial)
        n = concurrency(trial)
        if how == "two tabs":
            forms = [enrollment_form(email, form_intent(session)) for _ in range(n)]
        else:
            forms = [enrollment_form(email, form_intent(session) if how == "one form posted again" else None)] * n
        codes = race(session, [lambda client, form=form: client.post(start, form) for form in forms])
        posted(result, codes, intents=n if how == "two tabs" else 1)
        trials.append((email, n, codes))
    settle(list(Booking.objects.filter(partner__code=Partner.Code.SANDICARE).values_list("pk", flat=True)))
    result.deadlocks = deadlocks_so_far() - before
    created = partner_simulator.creates(CREATE_OPERATIONS[Partner.Code.SANDICARE])
    for trial, (email, n, codes) in enumerate(trials):
        rows = enrollments(email)
        sent = rows.exclude(status__in=NOT_ENROLLED)
        creates = sum(create.get("email") == email for create in created)
        result.bookings += rows.count()
        result.sent += sent.count()
        result.creates += creates
        assert sent.count() == 1, (trial, list(rows.values("status")))
        assert booked_or_answered_late(sent.get(), Status.ENROLLED), (trial, sent.get().events.last().reason)
        assert creates == 1, trial
        assert all(code in (302, 409) for code in codes), (trial, codes)
        if how == "two tabs":
            # One booking per tab; every tab but one waits at "enroll again?" as a draft.
            assert rows.count() == n and rows.filter(status=Status.DRAFT).count() == n - 1, trial
        else:
            assert rows.count() == 1, trial
    assert result.creates == result.sent == TRIALS


# --- staff actions on a booking ---------------------------------------------------------------


def test_retry_posted_at_once_sends_once(portal, session, tally):
    result = tally("retry (needs attention)")
    before = deadlocks_so_far()
    trials = []
    for trial in range(TRIALS):
        booking = portal.draft(Partner.Code.SANAR_VIDEO, CONTROL).booking
        move(booking, Status.QUEUED, Status.NEEDS_ATTENTION)
        url = reverse("bookings:detail-retry", args=[booking.pk])
        codes = race(session, [lambda client: client.post(url)] * concurrency(trial))
        posted(result, codes)
        trials.append((booking, codes))
    settle([booking.pk for booking, _ in trials])
    result.deadlocks = deadlocks_so_far() - before
    for trial, (booking, codes) in enumerate(trials):
        booking.refresh_from_db()
        creates = portal.router.creates[booking.reference]
        result.bookings += 1
        result.sent += booking.events.filter(reason="Retried by staff").count()
        result.creates += creates
        assert booked_or_answered_late(booking, Status.AWAITING_PAYMENT), (trial, booking.events.last().reason)
        assert creates == 1, trial
        assert booking.events.filter(reason="Retried by staff").count() == 1, trial
        assert all(code in (302, 409) for code in codes), (trial, codes)


def test_resolve_posted_at_once_records_once(portal, session, tally):
    result = tally("resolve (verify with partner)")
    before = deadlocks_so_far()
    for trial in range(TRIALS):
        booking = portal.draft(Partner.Code.SANAR_VIDEO, CONTROL).booking
        move(booking, Status.QUEUED, Status.SUBMITTING, Status.VERIFY_WITH_PARTNER)
        url = reverse("bookings:detail-resolve", args=[booking.pk])
        form = {
            "booked": "yes",
            "upstream_booking_id": f"SNR-{uuid.uuid4().hex[:8]}",
            "handoff_url": "https://pay.example/x",
        }
        codes = race(session, [lambda client: client.post(url, form)] * concurrency(trial))
        posted(result, codes)
        booking.refresh_from_db()
        resolved = booking.events.filter(to_status=Status.AWAITING_PAYMENT).count()
        result.bookings += 1
        result.sent += resolved
        result.creates += portal.router.creates[booking.reference]
        assert booking.status == Status.AWAITING_PAYMENT and resolved == 1, trial
        assert portal.router.creates[booking.reference] == 0  # resolving never calls the partner
        assert all(code in (302, 409) for code in codes), (trial, codes)
    result.deadlocks = deadlocks_so_far() - before
