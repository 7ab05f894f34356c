"""Property tests: whatever a browser posts, a form answers valid or invalid, never an exception.

Every form class of ``bookings/forms/`` (found by walking the package, so a new form is
covered without touching this file), the forms of the record and settlement views, the
bookings filter and the admin ``CredentialForm`` are fed random data for their field names:
random text, several values per name, near-valid values (ids of the catalogue, dates around
today, numbers, emails), control characters and NUL. ``is_valid()`` must return; a valid form
must give its ``selection()``; the form must re-render (what the view does with errors).
"""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bookings.forms
from bookings.filters import BookingFilter
from bookings.forms import DraftForm
from bookings.models import Booking
from bookings.views.detail import MarkReconciledForm, ResolveVerificationForm
from bookings.views.settlements import SettlementUploadForm
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
    assert form.is_valid() in (True, False)
    if form.is_valid() and hasattr(form, "selection"):
        form.selection()
    str(form)  # re-rendered with its errors, as the views do
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


@PROPERTY_SETTINGS
@given(data=form_data(["partner", "environment", "label", "base_url", "is_active", "auth_token", "api_key"]))
def test_the_credential_form_editing_a_stored_credential(context, data):
    exercise(CredentialForm(data=MultiValueDict(data), instance=context["credential"]))


@PROPERTY_SETTINGS
@given(data=form_data(list(BookingFilter.base_filters) + ["sort", "page"]))
def test_the_bookings_filter_with_any_query(site_objects, data):
    """The bookings page, the export and the API read their query through this filter."""
    filterset = BookingFilter(MultiValueDict(data), queryset=Booking.objects.all())
    assert filterset.is_valid() in (True, False)
    list(filterset.qs[:5])
    filterset.day_totals_filter()
    str(filterset.form)
