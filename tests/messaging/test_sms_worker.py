"""End to end on real processes: a Celery worker sends the SMS to the simulator, retries once the
provider failed, and the simulator's receipt to the live portal marks the message delivered."""

import pytest

from messaging import tasks
from messaging.models import Message
from messaging.requests import message_request
from partner_simulator import demo_keys
from tests.messaging.conftest import RECEIPT_TOKEN, patient_booking
from tests.worker_fixtures import WorkerProcess, purge_broker, wait_for, worker_env

pytestmark = pytest.mark.django_db(transaction=True)


# A queue of its own: the session's worker (tests/worker_fixtures.py), started by an earlier test
# with no SMS backend, also consumes the default queue and would take the message.
QUEUE = "sms-worker-test"


@pytest.fixture
def sms_worker(unifonic, tmp_path, monkeypatch):
    purge_broker()
    monkeypatch.setattr(tasks.send_message, "delay", lambda pk: tasks.send_message.apply_async((pk,), queue=QUEUE))
    worker = WorkerProcess(
        worker_env(
            SMS_BACKEND="messaging.backends.unifonic.SmsBackend",
            UNIFONIC_SMS_URL=unifonic.url,
            UNIFONIC_APP_SID=demo_keys.UNIFONIC_APP_SID,
            UNIFONIC_SENDER_ID=demo_keys.UNIFONIC_SENDER_ID,
        ),
        tmp_path / "worker.log",
        queue=QUEUE,
    )
    worker.start()
    yield worker
    worker.stop()


def test_the_worker_retries_then_the_receipt_marks_it_delivered(unifonic, sms_worker, live_server):
    webhook = f"{live_server.url}/messages/receipts/sms/?token={RECEIPT_TOKEN}"
    unifonic.set_receipts(urls={"sms": webhook}, delay_s=0.2)
    unifonic.inject("unifonic.sms", "http_503")
    message = message_request(booking_id=patient_booking().pk, channel="sms", actor=None, intent=None)

    def delivered():
        message.refresh_from_db()
        return message.status == Message.Status.DELIVERED

    wait_for(delivered, timeout=30)
    assert [(a.number, a.outcome, a.http_status) for a in message.attempt_log.all()] == [
        (1, "retrying", 503),
        (2, "sent", 200),
    ]
    # The simulator notes the portal's answer once it has read it, just after the portal stored it.
    # Posted again while the portal answered 404 (not stored as sent yet), if it was that quick.
    (received,) = wait_for(
        lambda: [
            entry for entry in unifonic.outbox("sms") if {"word": "Delivered", "status": 200} in entry["receipts"]
        ],
        timeout=5,
    )
    assert received["id"] == message.provider_id
