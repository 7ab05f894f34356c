"""No secret leaves the vault: end to end, through the pages, the worker task and the real client.

Credentials with distinctive secret values (Sanar token and Cmt secret, Sandicare API key)
are typed into the admin form, encrypted with a distinctive Fernet key, and used against the
partner simulator (real HTTP; it is told to accept these values). The three flows run through
the Django test client, with faults injected on every partner operation; the sends run the
Celery task in process (``apply``). Then every page of the project is read by every persona:
the role matrix's URLs with every booking, settlement import, partner call and credential,
the admin pages and the API.

Afterwards each secret (and the Fernet key, and every Cmt signature sent) is searched in
every row of every table of our apps and of auth, sessions, admin log, API tokens and axes
(raw SQL, so encrypted columns are read as stored), every log record captured at DEBUG, and every response (headers, cookies and body): 0 hits.
The simulator's own log of what it received is the control: the secrets were really sent.
"""

import base64
import json
import logging
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from bookings import tasks
from bookings.models import Booking, SettlementImport
from bookings.states import Status
from partner_simulator import data as simulator_data
from partner_simulator import demo_keys
from partner_simulator import sandicare as simulator_sandicare
from partners.models import Credential, Partner, UpstreamCall
from patients.models import Patient
from tests.bookings.views import vaccination_support, video_support
from tests.security.sitemap import PERSONAS, all_urls, body_of, reverse_with
from tests.security.test_role_matrix import MATRIX

pytestmark = pytest.mark.django_db

SANAR_TOKEN = "leakprobe-sanar-token-4a7d19c2e8f0"
SANAR_CMT_SECRET = "leakprobe-sanar-cmt-b93f0e6d21a7"
SANDICARE_KEY = "sdx_leakprobe-sandicare-key-5c2e9b"
FERNET_RAW = b"leak-probe-fernet-key-0123456789"
FERNET_KEY = base64.urlsafe_b64encode(FERNET_RAW).decode()
SECRETS = {
    "Sanar token": SANAR_TOKEN,
    "Sanar Cmt secret": SANAR_CMT_SECRET,
    "Sandicare API key": SANDICARE_KEY,
    "Fernet key": FERNET_KEY,
    "Fernet key bytes": FERNET_RAW.decode(),
}
READ_TIMEOUT = 0.5
SLOW_ANSWER = 1.0  # read_timeout_after_accept: the answer comes after the client gave up
OUR_APPS = ("accounts", "bookings", "partners", "auth", "authtoken", "axes", "sessions", "admin")


class RecordingClient(Client):
    """A test client that keeps the text of every answer: status, headers, cookies, body."""

    def __init__(self, pages: list[str], **defaults):
        super().__init__(**defaults)
        self.pages = pages

    def request(self, **request):
        response = super().request(**request)
        body = body_of(response)
        if getattr(response, "streaming", False):
            response.streaming_content = [body]
        self.pages.append(
            f"{request.get('REQUEST_METHOD')} {request.get('PATH_INFO')} {response.status_code}\n"
            f"{response.headers}\n{response.cookies.output()}\n{body.decode('utf-8', 'replace')}"
        )
        return response


@pytest.fixture
def secrets_in_play(settings, monkeypatch, partner_simulator):
    """The distinctive secrets: the Fernet key in settings, the partner secrets in the simulator."""
    settings.FIELD_ENCRYPTION_KEYS = [FERNET_KEY]
    settings.PARTNER_READ_TIMEOUT = READ_TIMEOUT
    settings.PARTNER_CONNECT_TIMEOUT = READ_TIMEOUT
    settings.PARTNER_RETRY_BACKOFF_SECONDS = 0
    monkeypatch.setattr(demo_keys, "SANAR_TOKEN", SANAR_TOKEN)
    monkeypatch.setattr(demo_keys, "SANAR_CMT_SECRET", SANAR_CMT_SECRET)
    monkeypatch.setitem(simulator_sandicare.KEYS, "sandbox", SANDICARE_KEY)
    monkeypatch.setitem(simulator_sandicare.TENANT_OF_KEY, SANDICARE_KEY, simulator_data.DEMO_TENANT)
    return partner_simulator


def client_as(user, pages) -> RecordingClient:
    client = RecordingClient(pages)
    if user is not None:
        client.force_login(user)
    return client


# --- the credentials, typed into the admin ----------------------------------------------------


def add_credentials_through_the_admin(admin: Client, simulator) -> None:
    common = {
        "environment": "sandbox",
        "label": "leak probe",
        "is_active": "on",
        "auth_prefix": "",
        "cmt_algorithm": "sha256",
        "cmt_encoding": "hex",
        "product_code": "",
        "program_ids": "",
        "auth_token": "",
        "cmt_secret": "",
        "api_key": "",
    }
    sanar = {"auth_token": SANAR_TOKEN, "cmt_secret": SANAR_CMT_SECRET}
    forms = [
        (Partner.Code.SANAR_VIDEO, "sanar_video", sanar),
        (Partner.Code.SANAR_VACCINATION, "sanar_vaccination", {**sanar, "product_code": demo_keys.SANAR_PRODUCT_CODE}),
        (Partner.Code.SANDICARE, "sandicare", {"api_key": SANDICARE_KEY, "program_ids": "1001,1002"}),
    ]
    add = reverse("admin:partners_credential_add")
    for code, api, secrets in forms:
        data = {**common, **secrets, "partner": Partner.objects.get(code=code).pk}
        refused = admin.post(add, {**data, "base_url": "not a url"})  # the form comes back with its errors
        assert refused.status_code == 200 and b"errornote" in refused.content
        assert admin.post(add, {**data, "base_url": simulator.base_url(api), "_save": "Save"}).status_code == 302
    assert Credential.objects.filter(is_active=True).count() == 3


def check_connections_from_the_admin(admin: Client, simulator) -> None:
    """The "Test connection" action, once healthy and once with faults."""
    changelist = reverse("admin:partners_credential_changelist")
    selected = [str(pk) for pk in Credential.objects.values_list("pk", flat=True)]
    action = {"action": "test_connection", "_selected_action": selected}
    assert admin.post(changelist, action).status_code == 302
    simulator.inject("sanar_video.specialities", "1002")
    simulator.inject("sanar_vaccination.services", "http_502_html")
    simulator.inject("sandicare.enroll", "http_401")
    assert admin.post(changelist, action).status_code == 302


def keep_secrets_on_change_and_rotate(admin: Client) -> None:
    """Save a credential with its secret fields blank (kept), then rotate it ("Save as new"),
    which is refused until the secret is typed."""
    credential = Credential.objects.get(partner__code=Partner.Code.SANDICARE, is_active=True)
    change = reverse("admin:partners_credential_change", args=[credential.pk])
    page = admin.get(change).content.decode()
    assert "Stored: ••••" in page
    data = {
        "partner": credential.partner_id,
        "environment": "sandbox",
        "label": "leak probe, rotated",
        "base_url": credential.base_url,
        "is_active": "on",
        "auth_prefix": "",
        "cmt_algorithm": "sha256",
        "cmt_encoding": "hex",
        "product_code": "",
        "program_ids": "1001,1002",
        "auth_token": "",
        "cmt_secret": "",
        "api_key": "",
    }
    assert admin.post(change, {**data, "_save": "Save"}).status_code == 302
    # A rotation needs the new secret typed; the simulator's tenant knows this key, so the flows go on.
    assert admin.post(change, {**data, "_saveasnew": "Save as new"}).status_code == 200
    assert admin.post(change, {**data, "api_key": SANDICARE_KEY, "_saveasnew": "Save as new"}).status_code == 302
    rotated = Credential.objects.get(partner__code=Partner.Code.SANDICARE, is_active=True)
    assert rotated.pk != credential.pk and rotated.api_key == SANDICARE_KEY


# --- the flows, with faults --------------------------------------------------------------------


def inject(simulator, operation: str, fault: str) -> None:
    """One fault on the next call; a late answer comes after the client's read timeout."""
    simulator.inject(operation, fault, sleep_s=SLOW_ANSWER if fault == "read_timeout_after_accept" else None)


def send(booking_id: int) -> None:
    tasks.send_booking.apply(args=[booking_id])


def video_flow(ops: Client, simulator) -> None:
    ops.post(reverse("bookings:video-start"))
    draft = Booking.objects.latest("pk")
    # The catalogue: fetched on first use (an HTML 502), refreshed (bad JSON, 1002), then fine.
    simulator.inject("sanar_video.specialities", "http_502_html")
    ops.get(video_support.url("video-speciality", draft))
    simulator.inject("sanar_video.specialities", "bad_json")
    simulator.inject("sanar_video.doctors", "1002")
    for _ in range(3):
        ops.post(video_support.url("video-refresh", draft), {"step": "speciality"})
    # Live slots: signature refused, a 5000, a reply too late, then the walk to confirm.
    ops.post(video_support.url("video-speciality", draft), {"speciality_id": "DP34"})
    ops.post(video_support.url("video-doctor", draft), {"doctor_id": "EMP86190"})
    for fault in ("1003", "5000", "read_timeout_after_accept", "http_503"):
        inject(simulator, "sanar_video.slots", fault)
        ops.get(video_support.url("video-slot", draft))
    # One booking per fault on /book; 5000 is retried by the task and then succeeds.
    for fault in (None, "5000", "1001", "1002", "1003", "bad_json", "http_502_html", "read_timeout_after_accept"):
        booking = video_support.walk_to_confirm(ops)
        if fault:
            inject(simulator, "sanar_video.book", fault)
        ops.post(video_support.url("video-confirm", booking))
        send(booking.pk)
        ops.get(video_support.url("status", booking))
    needing_attention = Booking.objects.filter(status=Status.NEEDS_ATTENTION).first()
    ops.post(reverse("bookings:detail-retry", args=[needing_attention.pk]))
    send(needing_attention.pk)


def vaccination_flow(ops: Client, simulator) -> None:
    ops.post(reverse("bookings:vaccination-start"))
    draft = Booking.objects.latest("pk")
    simulator.inject("sanar_vaccination.services", "http_502_html")
    ops.get(vaccination_support.url("vaccination-services", draft))
    simulator.inject("sanar_vaccination.services", "1002")
    ops.post(vaccination_support.url("vaccination-refresh", draft), {"step": "services"})
    ops.post(vaccination_support.url("vaccination-refresh", draft), {"step": "services"})
    simulator.inject("sanar_vaccination.details", "bad_json")
    for fault in (None, "5000", "1003", "bad_json", "http_502_html", "read_timeout_after_accept"):
        booking = vaccination_support.walk_to_confirm(ops)
        if fault:
            inject(simulator, "sanar_vaccination.book", fault)
        ops.post(vaccination_support.url("vaccination-confirm", booking))
        send(booking.pk)
    for fault in ("1003", "5000", "read_timeout_after_accept"):
        inject(simulator, "sanar_vaccination.browse", fault)
        ops.get(vaccination_support.url("vaccination-slot", draft))


def enrollment_flow(ops: Client, simulator) -> None:
    form = {
        "program_id": "1002",
        "sandicare_service": "general_medicine",
        "email": "patient@example.org",
        "patient_dob": "1990-05-17",
        "consultation_reason": "Sore throat",
    }
    for fault in (None, "http_401", "http_400", "http_404", "http_502_html", "bad_json", "read_timeout_after_accept"):
        if fault:
            inject(simulator, "sandicare.enroll", fault)
        page = ops.get(reverse("bookings:enrollment-start")).content.decode()
        intent = re.search(r'name="intent" value="([0-9a-f-]{36})"', page).group(1)  # a fresh form each time
        response = ops.post(reverse("bookings:enrollment-start"), {**form, "intent": intent})
        booking = Booking.objects.latest("pk")
        if response.url == reverse("bookings:enrollment-confirm", args=[booking.pk]):
            ops.get(response.url)  # the same-day warning
            ops.post(response.url)
        send(booking.pk)
        ops.get(reverse("bookings:enrollment-edit", args=[booking.pk]))
    ops.get(reverse("bookings:enrollment-history"), {"email": "patient@example.org"})


def settlement_flow(finance: Client) -> None:
    booked = Booking.objects.filter(status=Status.AWAITING_PAYMENT, partner__code=Partner.Code.SANAR_VIDEO)
    rows = "".join(f"{b.upstream_booking_id},{b.amount},{b.currency},2026-01-01,paid\n" for b in booked)
    csv = "partner_booking_id,amount,currency,paid_at,status\n" + rows + "UNKNOWN-1,1.00,SAR,2026-01-01,paid\n"
    upload = SimpleUploadedFile("settlement.csv", csv.encode(), content_type="text/csv")
    partner = Partner.objects.get(code=Partner.Code.SANAR_VIDEO).pk
    response = finance.post(reverse("bookings:settlements"), {"partner": partner, "file": upload})
    assert response.status_code == 302, response.content[-2000:]
    settlement = SettlementImport.objects.latest("pk")
    finance.post(reverse("bookings:settlement-confirm", args=[settlement.pk]))


# --- every page, every persona -----------------------------------------------------------------

ALL_ROWS = {
    "partners.credential": lambda: Credential.objects.all(),
    "partners.upstreamcall": lambda: UpstreamCall.objects.all(),
    "bookings.booking": lambda: Booking.objects.all(),
    "booked": lambda: Booking.objects.all(),
    "video": lambda: Booking.objects.filter(partner__code=Partner.Code.SANAR_VIDEO),
    "vaccination": lambda: Booking.objects.filter(partner__code=Partner.Code.SANAR_VACCINATION),
    "enrollment": lambda: Booking.objects.filter(partner__code=Partner.Code.SANDICARE),
    "settlement": lambda: SettlementImport.objects.all(),
    "bookings.settlementimport": lambda: SettlementImport.objects.all(),
    "patient": lambda: Patient.objects.all(),
}
SKIPPED = {"accounts:logout", "admin:logout"}  # a GET is refused anyway; a POST would end the walk


def rows_of(kind: str):
    if kind in ALL_ROWS:
        return ALL_ROWS[kind]()
    return apps.get_model(kind).objects.all()


def pks_for(name: str, kind: str, persona: str, may_read: bool) -> list:
    """Every row for the personas that read these pages (the admin's change pages: as the
    superuser); one row otherwise, enough to show what the page answers that persona."""
    if not all_urls()[name].kwargs:
        return [None]
    rows = rows_of(kind).order_by("pk").values_list("pk", flat=True)
    if name.startswith("admin:"):
        every = may_read and persona == "superuser" and name.endswith("_change")
    else:
        every = may_read and persona in ("operations", "finance")
    return list(rows if every else rows[:1])


def read_every_page(users: dict, pages: list[str]) -> None:
    for persona in PERSONAS:
        client = client_as(users[persona], pages)
        for name, expect in sorted(MATRIX.items()):
            if name in SKIPPED:
                continue
            for pk in pks_for(name, expect.obj, persona, may_read=expect.get[persona] == 200):
                client.get(reverse_with(all_urls()[name], pk=pk))
        if persona in ("operations", "finance"):
            client.get(reverse("bookings:list"), {"q": "patient", "status": ["awaiting_payment", "needs_attention"]})
            client.get(reverse("api:booking-list"), {"page_size": 500})
            client.get(reverse("api:schema"), {"format": "json"})


# --- the scan ------------------------------------------------------------------------------------


def stored_rows() -> list[str]:
    """Every row of every table of our apps, as stored (encrypted columns as ciphertext)."""
    texts = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label not in OUR_APPS:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            texts += [" ".join(_text(value) for value in row) for row in cursor.fetchall()]
    return texts


def _text(value) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def logged_lines(caplog) -> list[str]:
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return [f"{formatter.format(record)} {record.__dict__!r}" for record in caplog.records]


def test_no_secret_in_any_row_log_or_page(secrets_in_play, persona_users, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    for name in ("django.db.backends", "axes", "partners", "bookings", "celery", "urllib3"):
        caplog.set_level(logging.DEBUG, logger=name)
    simulator = secrets_in_play
    pages: list[str] = []
    admin = client_as(persona_users["superuser"], pages)
    ops = client_as(persona_users["operations"], pages)

    add_credentials_through_the_admin(admin, simulator)
    video_flow(ops, simulator)
    vaccination_flow(ops, simulator)
    enrollment_flow(ops, simulator)
    check_connections_from_the_admin(admin, simulator)
    keep_secrets_on_change_and_rotate(admin)
    settlement_flow(client_as(persona_users["finance"], pages))

    # The control: the simulator saw the secrets, and the faults were met.
    received = simulator.received()
    sent_headers = json.dumps([request["headers"] for request in received])
    assert SANAR_TOKEN in sent_headers and SANDICARE_KEY in sent_headers
    signatures = {value for request in received for key, value in request["headers"].items() if key.lower() == "cmt"}
    assert signatures
    outcomes = set(UpstreamCall.objects.values_list("outcome", flat=True))
    assert {
        "ok",
        "unauthorized",
        "signature_mismatch",
        "server_error",
        "bad_response",
        "timeout_after_send",
    } <= outcomes
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert {Status.AWAITING_PAYMENT, Status.NEEDS_ATTENTION, Status.VERIFY_WITH_PARTNER, Status.ENROLLED} <= statuses
    simulator.state.faults.clear()

    read_every_page(persona_users, pages)

    rows, lines = stored_rows(), logged_lines(caplog)
    calls = UpstreamCall.objects.count()
    with capsys.disabled():
        print(
            f"\nleak scan: {len(rows)} stored rows ({calls} partner calls), {len(lines)} log records, "
            f"{len(pages)} responses, {len(signatures)} Cmt signatures"
        )
    assert calls >= 60 and len(lines) >= 100 and len(pages) >= 500
    needles = {**SECRETS, **{f"Cmt signature {n}": s for n, s in enumerate(sorted(signatures))}}
    leaks = []
    for label, needle in needles.items():
        pattern = re.compile(re.escape(needle))
        for where, texts in (("stored row", rows), ("log record", lines), ("response", pages)):
            hits = [text for text in texts if pattern.search(text)]
            if hits:
                leaks.append(f"{label} in {len(hits)} {where}(s), e.g. {hits[0][:300]!r}")
    assert not leaks, "\n".join(leaks)
