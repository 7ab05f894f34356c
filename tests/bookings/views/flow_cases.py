"""The two Sanar flows as the shared view tests see them: what differs between them, as data.

Tests that have the same shape for both flows take a ``flow`` (``FLOWS``) and read pages,
drafts and partner operations from it; a test about one product stays in that product's module.
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from bookings.models import Booking
from bookings.services.sending import booking_send
from partners.adapters import sanar_vaccination, sanar_video
from partners.catalogue.base import SyncReport
from partners.catalogue.vaccination import sync_vaccination_catalogue
from partners.catalogue.video import sync_video_catalogue
from partners.models import Credential, Partner
from tests.bookings.views import vaccination_support, video_support
from tests.bookings.views.flow_support import url

MAX_RETRIES = 2


@dataclass(frozen=True)
class Flow:
    name: str  # the prefix of its page names ("video-slot") and the test id
    partner_code: str
    partner_name: str
    steps: tuple[str, ...]  # its pages in order, the htmx fragment after the page that holds it
    labels: tuple[str, ...]  # the breadcrumb
    contact: str  # the patient (or child and guardian) step
    reselect: str  # where a partner's 1004 sends staff to choose again
    catalogue_refresh: str  # the step whose refresh button re-reads the list it shows
    resume: tuple[tuple[str | None, str], ...]  # draft done through → the step resume opens
    skipped: tuple[str, str]  # draft done through → the step a later page sends back to
    breadcrumb: tuple[str, str, tuple[str, ...], tuple[str, ...]]  # through, page, linked, not linked
    half_done: str  # a stage a draft is unfinished after
    slots_ready: str  # the stage after which the slot page can list slots
    other_product: tuple[str, str]  # a product whose bookings these pages refuse, and its credential fixture
    draft: Callable[..., Booking]
    make_catalogue: Callable[[], object]
    catalogue_credential: str | None  # a fixture the mocked catalogue needs
    adapter: ModuleType
    read: str  # the adapter function the slot page calls
    fake_read: Callable[[], object]
    read_credential: str  # the credential fixture the mocked read needs
    catalogue_read: str  # the adapter function a catalogue refresh calls
    simulator_credential: Callable[[object], Credential]
    sync_catalogue: Callable[[], SyncReport]
    walk_to_confirm: Callable[..., Booking]
    kept_contact: tuple[str, ...]  # values the contact form still shows after a partner refusal
    fixed_contact: dict  # a contact post that fixes what the partner refused
    contact_name: str  # a name every reloaded confirm page shows

    def page(self, step: str) -> str:
        return f"{self.name}-{step}"

    def operation(self, adapter_function: str) -> str:
        """The simulator's name for a call, e.g. ``sanar_video.slots``."""
        return f"{self.adapter.__name__.rsplit('.', 1)[-1]}.{adapter_function}"

    @property
    def pages(self) -> tuple[str, ...]:
        """The step pages (not the fragment), in order."""
        return tuple(step for step in self.steps if step != "slots")

    @property
    def stages(self) -> tuple[str, ...]:
        return tuple(through for through, _ in self.resume if through)

    def __str__(self) -> str:
        return self.name


VIDEO = Flow(
    name="video",
    partner_code=Partner.Code.SANAR_VIDEO,
    partner_name="Sanar video consultation",
    steps=("speciality", "doctor", "slot", "slots", "patient", "confirm"),
    labels=("Speciality", "Doctor", "Date and slot", "Patient", "Confirm"),
    contact="patient",
    reselect="doctor",
    catalogue_refresh="doctor",
    resume=(
        (None, "speciality"),
        ("speciality", "doctor"),
        ("doctor", "slot"),
        ("slot", "patient"),
        ("patient", "confirm"),
    ),
    skipped=("speciality", "doctor"),
    breadcrumb=("speciality", "doctor", ("speciality",), ("slot",)),
    half_done="doctor",
    slots_ready="doctor",
    other_product=(Partner.Code.SANDICARE, "sandicare_credential"),
    draft=video_support.video_draft,
    make_catalogue=video_support.make_catalogue,
    catalogue_credential=None,
    adapter=sanar_video,
    read="slots",
    fake_read=video_support.FakeSlots,
    read_credential="sanar_video_credential",
    catalogue_read="specialities",
    simulator_credential=video_support.simulator_credential,
    sync_catalogue=sync_video_catalogue,
    walk_to_confirm=video_support.walk_to_confirm,
    kept_contact=('value="Sara Ali"',),
    fixed_contact={**video_support.PATIENT, "patient_name": "Sara Ali Hassan", "patient_dob": "1990-05-17"},
    contact_name=video_support.PATIENT["patient_name"],
)

VACCINATION = Flow(
    name="vaccination",
    partner_code=Partner.Code.SANAR_VACCINATION,
    partner_name="Sanar kids vaccination",
    steps=("services", "details", "where", "slot", "slots", "child", "confirm"),
    labels=("Services", "Details", "Where and when", "Provider and slot", "Child and guardian", "Confirm"),
    contact="child",
    reselect="services",
    catalogue_refresh="services",
    resume=(
        (None, "services"),
        ("services", "where"),  # the details are read on the way, not a choice
        ("where", "slot"),
        ("slot", "child"),
        ("child", "confirm"),
    ),
    skipped=("services", "where"),
    breadcrumb=("services", "where", ("services", "details"), ("slot",)),
    half_done="where",
    slots_ready="where",
    other_product=(Partner.Code.SANAR_VIDEO, "sanar_video_credential"),
    draft=vaccination_support.vaccination_draft,
    make_catalogue=vaccination_support.make_catalogue,
    catalogue_credential="sanar_vaccination_credential",
    adapter=sanar_vaccination,
    read="browse",
    fake_read=vaccination_support.FakeBrowse,
    read_credential="sanar_vaccination_credential",
    catalogue_read="services",
    simulator_credential=vaccination_support.simulator_credential,
    sync_catalogue=sync_vaccination_catalogue,
    walk_to_confirm=vaccination_support.walk_to_confirm,
    kept_contact=('value="Omar Saleh"', 'value="Huda Saleh"'),
    fixed_contact={
        **vaccination_support.CHILD,
        "patient_name": "Omar Saleh Ali",
        "patient_dob": vaccination_support.CHILD["patient_dob"].isoformat(),
    },
    contact_name=vaccination_support.CHILD["guardian_name"],
)

FLOWS = [VIDEO, VACCINATION]


def book_and_send(client, flow: Flow, booking: Booking, *, retries_done: int = 0) -> Booking:
    """Press Book, then run the send the task would run; the booking as it is afterwards."""
    assert client.post(url(flow.page("confirm"), booking)).url == url("status", booking)
    booking_send(booking_id=booking.pk, retries_done=retries_done, max_retries=MAX_RETRIES)
    booking.refresh_from_db()
    return booking


def status_page(client, booking: Booking) -> str:
    return client.get(url("status", booking)).content.decode()
