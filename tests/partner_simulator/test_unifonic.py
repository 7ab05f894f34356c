"""Unifonic on the simulator: the SMS and WhatsApp send calls, the outbox (JSON and page), the
delivery receipts it posts back, its faults, and RemoteSimulator driving them."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import requests

from partner_simulator import demo_keys
from partner_simulator.remote import RemoteSimulator

TIMEOUT = (2, 5)
WHATSAPP_KEYS = {"PublicId": demo_keys.UNIFONIC_PUBLIC_ID, "Secret": demo_keys.UNIFONIC_SECRET}


def sms(sim, **fields):
    form = {
        "AppSid": demo_keys.UNIFONIC_APP_SID,
        "SenderID": "Clinic",
        "Recipient": "966501234567",
        "Body": "مرحبا <b>",
        "responseType": "JSON",
        **fields,
    }
    return requests.post(f"{sim.url}/rest/SMS/messages", data=form, timeout=TIMEOUT)


def whatsapp(sim, headers=WHATSAPP_KEYS, contact="+966501234567", text="Hola"):
    body = {"recipient": {"contact": contact, "channel": "whatsapp"}, "content": {"type": "text", "text": text}}
    return requests.post(f"{sim.url}/v1/messages", json=body, headers=headers, timeout=TIMEOUT)


class Receiver:
    """A stand-in for the portal's webhook on a free loopback port: records what it is posted."""

    def __init__(self, status=200):
        self.posted, self.status = [], status
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posted.append((self.path, self.headers["Content-Type"], body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def test_an_sms_is_taken_and_listed(partner_simulator):
    answer = sms(partner_simulator, CorrelationID="ref-1").json()
    assert answer["success"] is True and answer["errorCode"] == "ER-00"
    (entry,) = partner_simulator.outbox("sms")
    assert str(answer["data"]["MessageID"]) == entry["id"]
    assert (entry["to"], entry["text"], entry["reference"]) == ("+966501234567", "مرحبا <b>", "ref-1")
    page = requests.get(f"{partner_simulator.url}/_sim/outbox.html", timeout=TIMEOUT)
    assert page.headers["Content-Type"].startswith("text/html")
    assert "مرحبا &lt;b&gt;" in page.text and "<b>" not in page.text


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"AppSid": "wrong"}, "ER-01"),
        ({"Recipient": "+966501234567"}, "ER-02"),
        ({"Recipient": "12"}, "ER-02"),
        ({"Body": "  "}, "ER-02"),
    ],
)
def test_an_sms_the_api_would_refuse(partner_simulator, fields, code):
    response = sms(partner_simulator, **fields)
    assert response.status_code == 200 and response.json()["success"] is False
    assert response.json()["errorCode"] == code and not partner_simulator.outbox()


def test_a_whatsapp_message_needs_the_keys_and_an_e164_contact(partner_simulator):
    assert whatsapp(partner_simulator, headers={"PublicId": "x", "Secret": "y"}).status_code == 401
    assert whatsapp(partner_simulator, contact="966501234567").status_code == 400
    assert whatsapp(partner_simulator, text="").status_code == 400
    response = whatsapp(partner_simulator)
    assert response.status_code == 202
    (entry,) = partner_simulator.outbox("whatsapp")
    assert response.json()["messageId"] == entry["id"] and entry["text"] == "Hola"


def test_a_delivered_receipt_is_posted_to_the_receipt_url(partner_simulator, receiver):
    partner_simulator.set_receipts(
        urls={"sms": receiver.url + "/sms?token=t", "whatsapp": receiver.url + "/wa"}, delay_s=0
    )
    message_id = str(sms(partner_simulator).json()["data"]["MessageID"])
    whatsapp_id = whatsapp(partner_simulator).json()["messageId"]
    deadline = threading.Event()
    for _ in range(50):
        if len(receiver.posted) == 2:
            break
        deadline.wait(0.1)
    posted = {path: (content_type, body) for path, content_type, body in receiver.posted}
    content_type, body = posted["/sms?token=t"]
    fields = {key: value[0] for key, value in parse_qs(body.decode()).items()}
    assert content_type == "application/x-www-form-urlencoded"
    assert (fields["MessageID"], fields["DLR"], fields["Recipient"]) == (message_id, "Delivered", "966501234567")
    event = json.loads(posted["/wa"][1])
    assert (event["messageId"], event["eventType"]) == (whatsapp_id, "message.delivered")
    for _ in range(50):  # the simulator notes the answer once it has read it
        (entry,) = partner_simulator.outbox("sms")
        if entry["receipts"]:
            break
        deadline.wait(0.1)
    assert entry["receipts"] == [{"word": "Delivered", "status": 200}]


def test_a_receipt_the_portal_does_not_take_yet_is_posted_again(partner_simulator):
    refusing = Receiver(status=404)
    try:
        partner_simulator.set_receipts(urls={"sms": refusing.url}, delay_s=0)
        sms(partner_simulator)
        for _ in range(50):
            if len(refusing.posted) == 3:
                break
            threading.Event().wait(0.1)
        assert len(refusing.posted) == 3  # RECEIPT_TRIES, then it gives up
    finally:
        refusing.close()


def test_remote_control_of_the_outbox_and_receipts(partner_simulator, receiver):
    remote = RemoteSimulator(partner_simulator.url)
    message_id = str(sms(partner_simulator).json()["data"]["MessageID"])
    assert [entry["id"] for entry in remote.outbox("sms")] == [message_id]
    assert remote.send_receipt(message_id, "Undeliverable", url=receiver.url + "/r") == 200
    assert b"DLR=Undeliverable" in receiver.posted[0][2]
    remote.set_receipts(urls={"whatsapp": receiver.url + "/w"}, delay_s=5)
    assert partner_simulator.state.receipt_urls == {"whatsapp": receiver.url + "/w"}
    remote.reset()
    assert remote.outbox() == []


def test_receipt_settings_are_checked(partner_simulator):
    response = requests.post(
        f"{partner_simulator.url}/_sim/receipt-urls", json={"sms": "file:///etc/passwd"}, timeout=TIMEOUT
    )
    assert response.status_code == 400
    missing = requests.post(f"{partner_simulator.url}/_sim/receipts", json={"id": "nope"}, timeout=TIMEOUT)
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("operation", "fault", "status"),
    [
        ("unifonic.sms", "http_503", 503),
        ("unifonic.sms", "unauthorized", 200),
        ("unifonic.whatsapp", "unauthorized", 401),
        ("unifonic.whatsapp", "rejected", 400),
        ("unifonic.whatsapp", "http_502_html", 502),
    ],
)
def test_faults_replace_the_answer_and_take_nothing(partner_simulator, operation, fault, status):
    partner_simulator.inject(operation, fault)
    response = sms(partner_simulator) if operation == "unifonic.sms" else whatsapp(partner_simulator)
    assert response.status_code == status and not partner_simulator.outbox()
    retried = sms(partner_simulator) if operation == "unifonic.sms" else whatsapp(partner_simulator)
    assert retried.status_code in (200, 202) and len(partner_simulator.outbox()) == 1


def test_a_fault_of_another_family_is_refused(partner_simulator):
    with pytest.raises(ValueError, match="does not apply"):
        partner_simulator.inject("unifonic.sms", "1001")


def test_a_whatsapp_template_message_needs_a_name_a_language_and_its_values(partner_simulator):
    def template(**content):
        body = {"recipient": {"contact": "+966501234567", "channel": "whatsapp"}, "content": content}
        return requests.post(f"{partner_simulator.url}/v1/messages", json=body, headers=WHATSAPP_KEYS, timeout=TIMEOUT)

    values = {"type": "body", "parameters": [{"type": "text", "text": "PB-1"}]}
    assert template(type="template", name="booking_link", components=[values]).status_code == 400
    assert template(type="template", name="booking_link", language={"code": "es"}, components=[]).status_code == 400
    ok = template(type="template", name="booking_link", language={"code": "es"}, components=[values])
    assert ok.status_code == 202
    assert partner_simulator.outbox("whatsapp")[0]["text"] == "[template booking_link · es] PB-1"
