"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser).

Screenshots go to ``test-artifacts/<test name>/``. The sync Playwright API runs an event loop
in the test thread, so ORM calls from these tests need DJANGO_ALLOW_ASYNC_UNSAFE.
"""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from accounts.second_factor import second_factor_required
from partner_simulator.demo_second_factor import demo_device
from partner_simulator.management.commands.seed_demo import DEMO_USERS
from tests.e2e.pages import log_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's Chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """``screenshot("01-speciality")`` saves a full-page PNG under test-artifacts/<test>/."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def roles_and_demo_users(transactional_db, django_user_model):
    """Groups come from a data migration, which transactional tests flush: recreate them."""
    from django.contrib.auth.models import Permission

    from accounts.roles import ROLE_PERMISSIONS

    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    users = {}
    for username, password, role in DEMO_USERS:
        user = django_user_model.objects.create_user(username=username, password=password)
        user.groups.add(Group.objects.get(name=role))
        if second_factor_required(user):
            demo_device(user)  # as seed_demo does: the demo key, so the login can give the code
        users[username] = (user, password)
    return users


@pytest.fixture
def login(page, live_server, roles_and_demo_users):
    def as_user(username: str):
        user, password = roles_and_demo_users[username]
        log_in(page, live_server.url, user, password)
        page.wait_for_url(re.compile(r".*/$"))
        return page

    return as_user
