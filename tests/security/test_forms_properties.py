"""Property tests: whatever a browser posts, a form answers valid or invalid, never an exception.

Every form class of ``bookings/forms/`` (found by walking the package, so a new form is
covered without touching this file), the forms of the record and settlement views, the
bookings filter and the admin ``CredentialForm`` are fed random data for their field names:
random text, several values per name, near-valid values (ids of the catalogue, dates around
today, numbers, emails), control characters and NUL. ``is_valid()`` must return; a valid form
has no errors and must give its ``selection()``; an invalid one names a field it has (or the
form) and shows every message when it re-renders (what the view does with errors). Each form
also accepts one known-good post and rejects it, with an error on that field, when a required
field is left out.
"""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import conditional_escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import bookings.forms
from bookings.filters import BookingFilter
from bookings.forms import DraftForm
from bookings.models import Booking
from bookings.views.detail import MarkReconciledForm, ResolveVerificationForm
from bookings.views.settlements import SettlementUploadForm
from partner_simulator import demo_keys
from partners.admin import CredentialForm
from partners.catalogue.vaccination import selected_services

pytestmark = pytest.mark.django_db
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def flow_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in a module of ``bookings.forms``."""
    found = []
    modules = [bookings.forms] + [
        importlib.import_module(f"bookings.forms.{info.name}") for info in pkgutil.iter_modules(bookings.forms.__path__)
    ]
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


OTHER_FORMS = [ResolveVerificationForm, MarkReconciledForm, SettlementUploadForm, CredentialForm]
FORMS = {f"{cls.__module__}.{cls.__name__}": cls for cls in [*flow_form_classes(), *OTHER_FORMS]}


def today_offset(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


NEAR_VALID = [
    "",
    " ",
    "\x00",
    "DP34",
    "EMP86190",
    "VAC-MMR",
    "VAC-FLU",
    "VAC-HEPB",
    "S-0930",
    "PRV-RUH-01",
    "Riyadh",
    "Jeddah",
    "1001",
    "1002",
    "general_medicine",
    "nutrition",
    "Male",
    "Female",
    "yes",
    "no",
    "on",
    "sanar_video",
    "sandicare",
    "sandbox",
    "production",
    "sha256",
    "hex",
    "+966501234567",
    "0501234567",
    "patient@example.org",
    "https://sanar.test/v1",
    "http://sanar.test/v1",
    "javascript:alert(1)",
    "sdx_simsandboxkey0123456789a",
    "prd_simproductionkey01234567",
    "1990-05-17",
    "0001-01-01",
    "9999-12-31",
    "24.7136",
    "-91",
    "1e400",
    "nan",
    "-0",
    "awaiting_payment",
    "created",
    "-amount",
]
field_value = st.one_of(
    st.text(max_size=60),
    st.sampled_from(NEAR_VALID),
    st.integers(min_value=-60, max_value=60).map(today_offset),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=2000),
)


def form_data(names: list[str]):
    return st.dictionaries(st.sampled_from(names), st.lists(field_value, min_size=1, max_size=3), max_size=len(names))


@pytest.fixture
def context(site_objects):
    """What the views pass the forms: the draft being edited, the services chosen, the programs."""
    return {
        "booking": site_objects.video,
        "services": selected_services(site_objects.vaccination.service_ids),
        "appointment_date": site_objects.vaccination.appointment_date,
        "programs": ["1001", "1002"],
        "credential": site_objects.credential,
    }


def build(cls, data, files, context):
    kwargs = {"data": data, "files": files}
    if issubclass(cls, DraftForm):
        kwargs["booking"] = context["booking"]
    accepted = inspect.signature(cls.__init__).parameters
    for name in ("services", "appointment_date", "programs"):
        if name in accepted:
            kwargs[name] = context[name]
    return cls(**kwargs)


def exercise(form) -> None:
    if form.is_valid():
        assert not form.errors
        assert set(form.cleaned_data) == set(form.fields)
        if hasattr(form, "selection"):
            form.selection()
    else:
        assert form.errors, "an invalid form says why"
        assert set(form.errors) <= {*form.fields, NON_FIELD_ERRORS}
    rendered = str(form)  # re-rendered with its errors, as the views do
    for messages in form.errors.values():
        for message in messages:
            assert conditional_escape(message) in rendered, message
    form.errors.as_json()


def test_the_form_walk_finds_the_flow_forms():
    names = {cls.__name__ for cls in FORMS.values()}
    assert {"PatientForm", "EnrollmentForm", "SpecialityForm", "DoctorForm", "SlotChoiceForm"} <= names


@pytest.mark.parametrize("name", sorted(FORMS))
def test_any_input_gives_a_valid_or_invalid_form(name, context):
    cls = FORMS[name]
    try:
        names = list(build(cls, None, None, context).fields)
    except TypeError as error:
        pytest.fail(f"{name} needs constructor arguments this test does not know: add them to build() ({error})")
    file_names = [field for field in names if isinstance(cls.base_fields.get(field), forms.FileField)]

    @PROPERTY_SETTINGS
    @given(data=form_data(names or ["unused"]), upload=st.binary(max_size=300), with_file=st.booleans())
    def run(data, upload, with_file):
        files = MultiValueDict({field: [SimpleUploadedFile("f.csv", upload)] for field in file_names if with_file})
        exercise(build(cls, MultiValueDict(data), files, context))

    run()


def known_good(name: str, site_objects) -> tuple[dict, dict]:
    """A post each form accepts (data, files), built on the objects of ``site_objects``."""
    tomorrow = today_offset(1)
    patient = {
        "patient_name": "Sara Ali",
        "patient_dob": "1990-05-17",
        "patient_gender": "Female",
        "mobile": "0501234567",
        "email": "sara@example.org",
    }
    child = {**patient, "patient_dob": today_offset(-3 * 365), "guardian_name": "Huda Saleh"}
    csv = SimpleUploadedFile("s.csv", b"partner_booking_id,amount,currency,paid_at\nSNR-1,90.00,SAR,2026-01-02\n")
    credential = {
        "partner": site_objects.partner.pk,
        "environment": "sandbox",
        "base_url": "https://sanar.test/v1",
        "cmt_algorithm": "sha256",
        "cmt_encoding": "hex",
        "auth_token": demo_keys.SANAR_TOKEN,
        "cmt_secret": demo_keys.SANAR_CMT_SECRET,
    }
    examples = {
        "DraftForm": ({}, {}),
        "PatientForm": (patient, {}),
        "EnrollmentForm": (
            {"program_id": "1001", "sandicare_service": "nutrition", "email": "sara@example.org"}
            | {"patient_dob": "1990-05-17"},
            {},
        ),
        "HistorySearchForm": ({"email": "sara@example.org"}, {}),
        "DayForm": ({"date": tomorrow}, {}),
        "SlotChoiceForm": ({"appointment_date": tomorrow, "slot_id": "S-0930"}, {}),
        "ChildGuardianForm": (child, {}),
        "ProviderSlotForm": ({"appointment_date": tomorrow, "slot_id": "S-0930", "provider_id": "PRV-RUH-01"}, {}),
        "ServicesForm": ({"service_ids": ["VAC-MMR", "VAC-FLU"]}, {}),
        "WhereForm": ({"appointment_date": tomorrow, "city": "Riyadh"}, {}),
        "DoctorForm": ({"doctor_id": "EMP86190"}, {}),
        "SpecialityForm": ({"speciality_id": "DP34"}, {}),
        "MarkReconciledForm": ({"reason": "Bank transfer 4711"}, {}),
        "ResolveVerificationForm": ({"booked": "no", "reason": "Called the partner"}, {}),
        "SettlementUploadForm": ({"partner": site_objects.partner.pk}, {"file": csv}),
        "CredentialForm": (credential, {}),
    }
    return examples[name]


def posted(values: dict) -> MultiValueDict:
    return MultiValueDict({key: value if isinstance(value, list) else [value] for key, value in values.items()})


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_known_good_post_is_accepted_and_a_missing_required_field_rejected(name, site_objects, context):
    cls = FORMS[name]
    data, files = known_good(cls.__name__, site_objects)
    form = build(cls, posted(data), posted(files), context)
    assert form.is_valid(), form.errors.as_json()
    exercise(form)

    required = [field for field, bound in form.fields.items() if bound.required and not bound.disabled]
    if not required:
        return
    missing = required[0]
    data.pop(missing, None)
    files.pop(missing, None)
    form = build(cls, posted(data), posted(files), context)
    assert not form.is_valid()
    assert form.errors[missing]
    exercise(form)


@PROPERTY_SETTINGS
@given(data=form_data(["partner", "environment", "label", "base_url", "is_active", "auth_token", "api_key"]))
def test_the_credential_form_editing_a_stored_credential(context, data):
    exercise(CredentialForm(data=MultiValueDict(data), instance=context["credential"]))


@PROPERTY_SETTINGS
@given(data=form_data(list(BookingFilter.base_filters) + ["sort", "page"]))
@example(data={"created_to": ["9999-12-31"]})  # found here: no day after it to end the range (OverflowError)
@example(data={"q": ["\x00"], "created_from": ["0001-01-01"]})
def test_the_bookings_filter_with_any_query(site_objects, data):
    """The bookings page, the export and the API read their query through this filter."""
    filterset = BookingFilter(MultiValueDict(data), queryset=Booking.objects.all())
    if filterset.is_valid():
        assert not filterset.errors
    else:
        assert set(filterset.errors) <= {*filterset.form.fields, NON_FIELD_ERRORS}
        assert all(filterset.errors.values())
    list(filterset.qs[:5])
    filterset.day_totals_filter()
    str(filterset.form)


def test_the_bookings_filter_accepts_a_known_status_and_rejects_an_unknown_one(site_objects):
    accepted = BookingFilter(MultiValueDict({"status": ["awaiting_payment"]}), queryset=Booking.objects.all())
    assert accepted.is_valid(), accepted.errors
    assert list(accepted.qs) == [site_objects.booked]

    rejected = BookingFilter(MultiValueDict({"status": ["nonsense"]}), queryset=Booking.objects.all())
    assert not rejected.is_valid()
    assert list(rejected.errors) == ["status"]
