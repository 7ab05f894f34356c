"""Shared by the SMS and WhatsApp tests: the Unifonic backends pointed at the partner simulator."""

import datetime

import pytest

from messaging import tasks
from partner_simulator import demo_keys
from patients.services import patient_create
from tests.factories import make_booking

RECEIPT_TOKEN = "receipt-token-for-tests-0123"
MOBILE = "+966501234567"


@pytest.fixture
def unifonic(partner_simulator, settings):
    """The simulator, with the portal's SMS and WhatsApp backends sending to it."""
    settings.SMS_BACKEND = "messaging.backends.unifonic.SmsBackend"
    settings.WHATSAPP_BACKEND = "messaging.backends.unifonic.WhatsAppBackend"
    settings.UNIFONIC_SMS_URL = settings.UNIFONIC_WHATSAPP_URL = partner_simulator.url
    settings.UNIFONIC_APP_SID = demo_keys.UNIFONIC_APP_SID
    settings.UNIFONIC_SENDER_ID = demo_keys.UNIFONIC_SENDER_ID
    settings.UNIFONIC_PUBLIC_ID = demo_keys.UNIFONIC_PUBLIC_ID
    settings.UNIFONIC_SECRET = demo_keys.UNIFONIC_SECRET
    settings.MESSAGE_RECEIPT_TOKEN = RECEIPT_TOKEN
    return partner_simulator


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.send_message, "delay", sent.append)
    return sent


def patient_booking(*, language="es", consents=True, preferred="sms", mobile=MOBILE, email="", **fields):
    patient = patient_create(
        actor=None,
        full_name="Layla Haddad",
        mobile=mobile,
        email=email,
        consents_to_messages=consents,
        language=language,
        preferred_channel=preferred,
    )
    values = {
        "patient": patient,
        "patient_name": "Layla Haddad",
        "mobile": mobile,
        "email": email,
        "patient_language": language,
        "payment_url": "https://pay.sanar.test/p/abc",
        "appointment_date": datetime.date(2026, 12, 20),
        "appointment_time": "09:30",
    }
    return make_booking(**{**values, **fields})
