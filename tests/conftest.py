"""Shared fixtures: personas (one user per role), partners and sandbox credentials."""

import os

import pgtrigger
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management.commands import flush
from django.test import Client
from hypothesis import settings as hypothesis_settings

from accounts import roles
from accounts.second_factor import second_factor_required
from partner_simulator import demo_keys
from partner_simulator.demo_second_factor import give_second_factor
from partners.models import Credential, Partner

pytest_plugins = ["tests.simulator_fixtures", "tests.worker_fixtures"]

# CI runs the same examples every time (HYPOTHESIS_PROFILE=ci, set by .ci/run): a red build is
# reproducible, and a failure found locally is kept as an @example where it was found.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
# `make fuzz` searches longer, outside CI: each property test tries FUZZ_FACTOR times its examples.
hypothesis_settings.register_profile("fuzz", deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
FUZZ_FACTOR = 25


def pytest_collection_modifyitems(config, items):
    """Under the "fuzz" profile, scale the examples each property test asks for in its @settings."""
    if hypothesis_settings.get_current_profile_name() != "fuzz":
        return
    scaled = set()
    for item in items:
        test = getattr(item, "obj", None)
        asked = getattr(test, "_hypothesis_internal_use_settings", None)
        if asked is not None and id(test) not in scaled:  # parametrized items share one function
            scaled.add(id(test))
            test._hypothesis_internal_use_settings = hypothesis_settings(
                asked, max_examples=asked.max_examples * FUZZ_FACTOR
            )


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    kind = "embedded, " if db["HOST"].startswith(str(settings.VAR_DIR)) else ""
    return [
        f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({kind}{db['HOST']}:{db['PORT'] or 5432})",
        f"celery broker: {settings.CELERY_BROKER_URL.split('@')[-1]}",
    ]


# RFC 6238's test key ("12345678901234567890"): the authenticator of every test user that has one.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"
password_only_login = Client.force_login


def force_login_with_second_factor(self, user, backend=None):
    """``client.force_login`` as a user who also gave their code, when their role needs one (with an
    authenticator made for them). ``password_only_login(client, user)`` stops after the password."""
    password_only_login(self, user, backend)
    if second_factor_required(user):
        give_second_factor(self, user, key=TEST_TOTP_KEY)


@pytest.fixture(autouse=True, scope="session")
def logins_give_the_second_factor():
    Client.force_login = force_login_with_second_factor
    yield
    Client.force_login = password_only_login


@pytest.fixture(scope="session", autouse=True)
def flush_past_the_truncate_guard():
    """Transactional tests empty every table with TRUNCATE after each test, which the access
    records refuse (their ``no_truncate`` trigger): only that flush passes the guard."""
    original = flush.Command.handle

    def handle(self, **options):
        with pgtrigger.ignore("access_records.AccessRecord:no_truncate"):
            return original(self, **options)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached filter choices must not outlive their test's rows."""
    cache.clear()
    yield
    cache.clear()


PERSONAS = {
    "operations": roles.OPERATIONS,
    "finance": roles.FINANCE,
    "partner_admin": roles.PARTNER_ADMINS,
}


def _make_user(django_user_model, username, role=None, **extra):
    user = django_user_model.objects.create_user(username=username, password="pass-for-tests", **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def operations_user(db, django_user_model):
    return _make_user(django_user_model, "ops", roles.OPERATIONS)


@pytest.fixture
def finance_user(db, django_user_model):
    return _make_user(django_user_model, "fin", roles.FINANCE)


@pytest.fixture
def partner_admin_user(db, django_user_model):
    return _make_user(django_user_model, "padmin", roles.PARTNER_ADMINS, is_staff=True)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(username="root", password="pass-for-tests")


@pytest.fixture
def persona_client(client, django_user_model):
    """``persona_client("finance")`` → a test client logged in as a fresh user of that role."""

    def make(persona):
        client.logout()
        if persona == "anonymous":
            return client
        if persona == "superuser":
            user = django_user_model.objects.create_superuser(username=f"su-{persona}", password="x")
        else:
            user = _make_user(
                django_user_model, f"user-{persona}", PERSONAS[persona], is_staff=persona == "partner_admin"
            )
        client.force_login(user)
        return client

    return make


@pytest.fixture
def ops_client(client, operations_user):
    client.force_login(operations_user)
    return client


@pytest.fixture
def partners(db):
    return {p.code: p for p in Partner.objects.all()}


@pytest.fixture
def sanar_video_credential(partners):
    return Credential.objects.create(
        partner=partners[Partner.Code.SANAR_VIDEO],
        environment=Credential.Environment.SANDBOX,
        base_url="https://sanar.test/v1",
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
    )


@pytest.fixture
def sanar_vaccination_credential(partners):
    return Credential.objects.create(
        partner=partners[Partner.Code.SANAR_VACCINATION],
        environment=Credential.Environment.SANDBOX,
        base_url="https://sanar-kids.test/v1",
        auth_token=demo_keys.SANAR_TOKEN,
        cmt_secret=demo_keys.SANAR_CMT_SECRET,
        product_code=demo_keys.SANAR_PRODUCT_CODE,
    )


@pytest.fixture
def sandicare_credential(partners):
    return Credential.objects.create(
        partner=partners[Partner.Code.SANDICARE],
        environment=Credential.Environment.SANDBOX,
        base_url="https://sandicare.test/api/v1",
        api_key=demo_keys.SANDICARE_SANDBOX_KEY,
        program_ids=",".join(demo_keys.SANDICARE_PROGRAM_IDS),
    )
