"""Every page, for every role, in English and Arabic: no sideways scroll at 360, 390, 768 and
1,280 px, touch targets of at least 44 px, and no serious or critical axe-core violation.

Screenshots of each page at 390 and 1,280 px go to test-artifacts/layout/<persona>/<lang>/.
Each persona's test collects every problem before failing, so one run lists them all.
"""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.language import save_language
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.pages import log_in
from tests.e2e.site_pages import build_site

WIDTHS = (360, 390, 768, 1280)
SCREENSHOT_WIDTHS = (390, 1280)
LANGUAGES = ("en", "ar")
BLOCKING = {"serious", "critical"}
PERSONA_USERS = {"operations": "operations", "finance": "finance", "partner_admin": "partneradmin"}

# Interactive elements smaller than 44 x 44 px: links inside text are exempt (WCAG 2.5.5 allows
# inline targets), as are hidden ones.
SMALL_TARGETS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('button, .btn, input:not([type=hidden]), select, textarea, .nav-link, .navbar-toggler')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest('[hidden], .visually-hidden')) continue;
    if (el.type === 'checkbox' || el.type === 'radio') {
      const label = el.closest('.form-check') || el.labels?.[0];
      const area = label ? label.getBoundingClientRect() : box;
      if (area.height >= 43.5) continue;
    } else if (box.height >= 43.5 && box.width >= 43.5) continue;
    found.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.value || el.name || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return found;
}"""


@pytest.fixture
def site(roles_and_demo_users, partner_simulator):
    users = {name: user for name, (user, _) in roles_and_demo_users.items()}
    users["partner_admin"] = users["partneradmin"]
    users["partner_admin"].is_staff = True
    users["partner_admin"].save()
    return build_site(partner_simulator, users)


def _check_pages(page, live_server, pages, folder, axe) -> list[str]:
    problems = []
    for name, path in pages:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            if response.status != 200:
                problems.append(f"{name}: HTTP {response.status}")
                break
            scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                problems.append(f"{name} @{width}px: page is {scroll}px wide (sideways scroll)")
            if width in (360, 390):
                small = page.evaluate(SMALL_TARGETS)
                if small:
                    problems.append(f"{name} @{width}px: targets under 44 px: {small[:5]}")
            if width in SCREENSHOT_WIDTHS:
                page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
            if width == 1280:
                results = axe.run(page)
                blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
                (folder / f"{name}-axe.json").write_text(json.dumps(results.response["violations"], indent=1))
                for violation in blocking:
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    problems.append(f"{name}: axe {violation['impact']} {violation['id']}: {targets}")
    return problems


@pytest.mark.parametrize("persona", ["anonymous", "operations", "finance", "partner_admin"])
def test_every_page_fits_every_width_and_passes_axe(persona, page, live_server, site, roles_and_demo_users):
    axe = Axe()
    problems = []
    for language in LANGUAGES:
        folder = ARTIFACTS / "layout" / persona / language
        folder.mkdir(parents=True, exist_ok=True)
        page.context.clear_cookies()
        if persona == "anonymous":
            page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        else:
            username = PERSONA_USERS[persona]
            user, password = roles_and_demo_users[username]
            save_language(user, language)
            log_in(page, live_server.url, user, password)
        page.goto(f"{live_server.url}/")
        assert page.get_attribute("html", "lang") == language
        assert page.get_attribute("html", "dir") == ("rtl" if language == "ar" else "ltr")
        problems += [f"[{language}] {p}" for p in _check_pages(page, live_server, site[persona], folder, axe)]
    assert not problems, "\n".join(problems)
