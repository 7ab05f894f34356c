"""The deadlock of two connections, replayed step by step.

T1 locks a Sandicare draft the way ``lock_booking`` does; T2 inserts another Sandicare
booking (its day-totals trigger takes the day total row; its foreign-key check on the
partner row waits for COMMIT); T1 moves the draft to ``queued`` (the trigger needs T2's day
total row: T1 waits); T2 commits (the foreign-key check needs the partner row). When T1
locked the partner row too, that is a cycle and PostgreSQL aborts one of them; locking the
booking row only, T2 commits and then T1 does.
"""

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from bookings.models import Booking
from bookings.services.conflicts import is_conflict
from bookings.services.drafts import booking_create_draft
from bookings.services.transitions import booking_transition, lock_booking
from bookings.states import Status
from partners.models import Partner

pytestmark = pytest.mark.django_db(transaction=True)


def lock_with_the_partner_row(booking_id: int) -> Booking:
    """What ``lock_booking`` did before: ``FOR UPDATE`` also took the joined partner row."""
    return Booking.objects.select_for_update().select_related("partner").get(pk=booking_id)


@pytest.fixture
def sandicare_draft(transactional_db, django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and triggers of PostgreSQL")
    partner, _ = Partner.objects.get_or_create(
        code=Partner.Code.SANDICARE, defaults={"vendor": Partner.Vendor.SANDICARE, "name": "Sandicare"}
    )
    user = django_user_model.objects.create_user(username="ops-locks", password="x")
    return booking_create_draft(partner_code=partner.code, actor=user)


def has_day_total_triggers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'bookings_booking'::regclass AND tgname LIKE %s",
            ["%day_totals_update%"],
        )
        return cursor.fetchone()[0] == 1


def waiting_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
        return bool(row) and row[0] == "Lock"


def replay(lock, draft: Booking) -> dict:
    """Run the two transactions in the order above; what each one ended with."""
    t1_locked, t2_inserted, t1_pid = threading.Event(), threading.Event(), []
    outcome: dict = {}

    def t1():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    t1_pid.append(cursor.fetchone()[0])
                booking = lock(draft.pk)
                t1_locked.set()
                t2_inserted.wait(10)
                booking_transition(booking=booking, to=Status.QUEUED, reason="T1")
            outcome["t1"] = "committed"
        except OperationalError as error:
            outcome["t1"] = error
        finally:
            t1_locked.set()
            connections.close_all()

    def t2():
        try:
            t1_locked.wait(10)
            with transaction.atomic():
                Booking.objects.create(partner=draft.partner, created_by=draft.created_by)
                t2_inserted.set()
                deadline = threading.Event()
                for _ in range(100):  # until T1 waits on the day total row (5 s at most)
                    if waiting_on_a_lock(t1_pid[0]):
                        break
                    deadline.wait(0.05)
            outcome["t2"] = "committed"
        except OperationalError as error:
            outcome["t2"] = error
        finally:
            t2_inserted.set()
            connections.close_all()

    threads = [threading.Thread(target=t1), threading.Thread(target=t2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


def test_locking_the_partner_row_too_deadlocks(sandicare_draft):
    """The replay is faithful: with the old lock, PostgreSQL reports the deadlock."""
    if not has_day_total_triggers():
        pytest.skip("no day-totals trigger: T1 never waits on T2, so there is no cycle to replay")
    outcome = replay(lock_with_the_partner_row, sandicare_draft)
    errors = [result for result in outcome.values() if result != "committed"]
    assert len(errors) == 1 and is_conflict(errors[0]), outcome
    assert "deadlock detected" in str(errors[0])


def test_lock_booking_locks_the_booking_row_only_so_both_commit(sandicare_draft):
    outcome = replay(lock_booking, sandicare_draft)
    assert outcome == {"t1": "committed", "t2": "committed"}
    assert Booking.objects.get(pk=sandicare_draft.pk).status == Status.QUEUED
    assert Booking.objects.filter(partner=sandicare_draft.partner).count() == 2
