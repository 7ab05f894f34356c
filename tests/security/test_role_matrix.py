"""Every URL of the project × every persona: the status code each one gets.

``MATRIX`` is the access policy written out: one entry per URL name (GET, and POST for the
views that only take a POST). A URL added to the project without an entry fails
``test_every_project_url_has_a_matrix_entry``, listing the names to add. Django admin's own
internals are not required, except a few listed at the end; the admin pages of our models
(``admin:<app>_<model>_<view>``) are.
"""

from dataclasses import dataclass, field

import pytest

from tests.security.sitemap import (
    PERSONAS,
    all_urls,
    client_for,
    objects_by_kind,
    project_urls,
    reverse_with,
)

ANON, OPS, FIN, PADMIN, SU = PERSONAS
STAFF_ROLES = (OPS, FIN, PADMIN)


@dataclass(frozen=True)
class Expect:
    get: dict[str, int]
    post: dict[str, int] = field(default_factory=dict)
    obj: str = "booked"  # which of ``site_objects`` fills ``pk`` / ``object_id``


def _by_role(allowed, ok: int, denied: int, anonymous: int) -> dict[str, int]:
    codes = {ANON: anonymous, SU: ok}
    codes.update({persona: ok if persona in allowed else denied for persona in STAFF_ROLES})
    return codes


def page(*allowed, obj="booked", anonymous=302, ok=200) -> Expect:
    """A page for ``allowed`` roles (superuser always); the others 403, anonymous to the login."""
    return Expect(get=_by_role(allowed, ok, 403, anonymous), obj=obj)


def post_only(*allowed, obj="booked", ok=302, role_checked_first=False) -> Expect:
    """A POST-only action. ``@require_POST`` before the role check answers every GET 405."""
    if role_checked_first:
        get = _by_role(allowed, 405, 403, 302)
    else:
        get = {ANON: 302, **{persona: 405 for persona in (*STAFF_ROLES, SU)}}
    return Expect(get=get, post=_by_role(allowed, ok, 403, 302), obj=obj)


def api(*allowed, obj="booked") -> Expect:
    """DRF answers anonymous calls 401 (token authentication first), not a redirect."""
    return Expect(get=_by_role(allowed, 200, 403, 401), obj=obj)


def admin_pages(model: str, *, partner_admin=(), superuser=("changelist", "change", "history")) -> dict:
    """The five admin URLs of ``model``. Anonymous and non-staff personas are sent to a login
    page; the partner admin (staff) and the superuser get 200 on the views named, else 403."""
    entries = {}
    for view in ("changelist", "add", "change", "history", "delete"):
        get = {
            ANON: 302,
            OPS: 302,
            FIN: 302,
            PADMIN: 200 if view in partner_admin else 403,
            SU: 200 if view in superuser else 403,
        }
        entries[f"admin:{model.replace('.', '_')}_{view}"] = Expect(get=get, obj=model)
    return entries


READ_ONLY = ("changelist", "change", "history")

MATRIX: dict[str, Expect] = {
    # --- accounts ---
    "accounts:login": Expect(get=dict.fromkeys(PERSONAS, 200)),
    "accounts:logout": Expect(
        get={ANON: 302, **dict.fromkeys((*STAFF_ROLES, SU), 405)}, post=dict.fromkeys(PERSONAS, 302)
    ),
    # The language menu works before login too (the login page has it).
    "accounts:language": Expect(get=dict.fromkeys(PERSONAS, 405), post=dict.fromkeys(PERSONAS, 302)),
    "accounts:sign_out_everywhere": post_only(OPS, FIN, PADMIN),
    # --- two-factor set-up: the signed-in personas who need a second factor already have a device
    # (the set-up sends them on); operations, without one, may set one up but has no codes.
    "two_factor:setup": Expect(get={ANON: 302, OPS: 200, FIN: 302, PADMIN: 302, SU: 302}),
    "two_factor:qr": Expect(get={ANON: 302, **dict.fromkeys((*STAFF_ROLES, SU), 404)}),
    "two_factor:setup_complete": Expect(get={ANON: 302, OPS: 302, FIN: 200, PADMIN: 200, SU: 200}),
    "two_factor:backup_tokens": Expect(get={ANON: 302, OPS: 302, FIN: 200, PADMIN: 200, SU: 200}),
    # --- dashboard, records, settlements ---
    "bookings:dashboard": page(OPS, FIN, PADMIN),
    "bookings:start": page(OPS),
    "bookings:partner-health": page(OPS, FIN, PADMIN),
    "bookings:list": page(OPS, FIN),
    "bookings:export": page(FIN),
    "bookings:detail": page(OPS, FIN),
    "bookings:detail-retry": post_only(OPS),
    "bookings:detail-cancel": post_only(OPS),
    "bookings:change-selection": post_only(OPS),  # a booked booking cannot change: back to its status page
    "bookings:cancel": page(OPS, obj="video"),  # asks to confirm; the POST cancels
    # An empty form is re-rendered with its errors (400) to the role that may act.
    "bookings:detail-resolve": post_only(OPS, ok=400),
    "bookings:detail-reconcile": post_only(FIN, ok=400),
    "bookings:settlements": page(FIN),
    "bookings:settlement-template": page(FIN),
    "bookings:settlement": page(FIN, obj="settlement"),
    "bookings:settlement-confirm": post_only(FIN, obj="settlement"),
    "bookings:settlement-file": page(FIN, obj="settlement"),
    "bookings:settlement-export": page(FIN, obj="settlement"),
    "bookings:settlement-recheck": post_only(FIN, obj="settlement"),
    "bookings:settlement-line": page(FIN, obj="settlement"),
    # --- status page and hand-off ---
    "bookings:status": page(OPS),
    "bookings:status-panel": page(OPS),
    "bookings:handoff-qr": page(OPS),
    "bookings:handoff-slip": page(OPS),
    "bookings:resume": page(OPS, ok=302),  # sent on to the status page or the next step
    # --- video consultation flow ---
    "bookings:video-start": page(OPS),
    "bookings:video-speciality": page(OPS, obj="video"),
    "bookings:video-doctor": page(OPS, obj="video"),
    "bookings:video-slot": page(OPS, obj="video"),
    "bookings:video-slots": page(OPS, obj="video"),
    "bookings:video-patient": page(OPS, obj="video"),
    "bookings:video-confirm": page(OPS, obj="video"),
    "bookings:video-refresh": post_only(OPS, obj="video", role_checked_first=True),
    # --- kids vaccination flow ---
    "bookings:vaccination-start": page(OPS),
    "bookings:vaccination-services": page(OPS, obj="vaccination"),
    "bookings:vaccination-details": page(OPS, obj="vaccination"),
    "bookings:vaccination-where": page(OPS, obj="vaccination"),
    "bookings:vaccination-slot": page(OPS, obj="vaccination"),
    "bookings:vaccination-slots": page(OPS, obj="vaccination"),
    "bookings:vaccination-child": page(OPS, obj="vaccination"),
    "bookings:vaccination-confirm": page(OPS, obj="vaccination"),
    "bookings:vaccination-refresh": post_only(OPS, obj="vaccination", role_checked_first=True),
    # --- Sandicare enrollment ---
    "bookings:enrollment-start": page(OPS),
    "bookings:enrollment-history": page(OPS),
    "bookings:enrollment-edit": page(OPS, obj="enrollment"),
    "bookings:enrollment-confirm": page(OPS, obj="enrollment"),
    # --- patient directory ---
    "patients:list": page(OPS),
    "patients:add": page(OPS),
    "patients:detail": page(OPS, obj="patient"),
    "patients:edit": page(OPS, obj="patient"),
    # An empty form is re-rendered with its errors (400); linking nobody says so and goes back (302).
    "messaging:send-link": post_only(OPS, ok=400),
    "messaging:latest": page(OPS),
    "patients:save-from-booking": post_only(OPS, ok=400),
    "patients:link-to-booking": post_only(OPS),
    # The provider's delivery receipts: no login, the URL's secret instead (none here: 403).
    "messaging:receipt-sms": Expect(get=dict.fromkeys(PERSONAS, 405), post=dict.fromkeys(PERSONAS, 403)),
    "messaging:receipt-whatsapp": Expect(get=dict.fromkeys(PERSONAS, 405), post=dict.fromkeys(PERSONAS, 403)),
    # --- a patient's request: superusers only; posted without an email or mobile, the form says so ---
    "privacy:find": Expect(get=_by_role((), 200, 403, 302), post=_by_role((), 400, 403, 302)),
    "privacy:export-json": post_only(ok=400),
    "privacy:export-csv": post_only(ok=400),
    "privacy:erase": post_only(ok=400),
    # --- the design system's style guide ---
    "ui:style-guide": page(OPS, FIN, PADMIN),
    # --- probes for load balancers: no login, same answer for everyone ---
    "monitoring:healthz": Expect(get=dict.fromkeys(PERSONAS, 200)),
    "monitoring:readyz": Expect(get=dict.fromkeys(PERSONAS, 200)),
    # A scraper's token or network, not a login: the test client calls from 127.0.0.1, allowed.
    "monitoring:metrics": Expect(get=dict.fromkeys(PERSONAS, 200)),
    # --- REST API ---
    "api:booking-list": api(OPS, FIN),
    "api:booking-detail": api(OPS, FIN),
    "api:settlement-list": api(FIN),
    "api:settlement-detail": api(FIN, obj="settlement"),
    "api:settlement-lines": api(FIN, obj="settlement"),
    "api:settlement-confirm": Expect(
        get=_by_role((FIN,), 405, 403, 401), post=_by_role((FIN,), 200, 403, 401), obj="settlement"
    ),
    "api:schema": api(OPS, FIN),
    "api:docs": page(OPS, FIN),  # a page: anonymous visitors go to the login
    # --- admin of our models: partner admins keep the partner keys; the rest is read-only ---
    **admin_pages("partners.partner", partner_admin=READ_ONLY),
    **admin_pages(
        "partners.credential",
        partner_admin=("changelist", "add", "change", "history"),
        superuser=("changelist", "add", "change", "history", "delete"),
    ),
    # The credential's contract report; a GET only shows the last one, running it is a POST.
    "admin:partners_credential_contract": Expect(
        get={ANON: 302, OPS: 302, FIN: 302, PADMIN: 200, SU: 200}, obj="partners.credential"
    ),
    **admin_pages("partners.upstreamcall", partner_admin=READ_ONLY),
    **admin_pages("partners.speciality"),
    **admin_pages("partners.doctor"),
    **admin_pages("partners.vaccinationservice"),
    **admin_pages("bookings.booking"),
    **admin_pages("bookings.bookingevent"),
    **admin_pages("bookings.settlementimport"),
    **admin_pages("bookings.settlementline"),
    # Patients are saved through their services (no delete); messages are only read.
    **admin_pages("patients.patient", superuser=("changelist", "add", "change", "history")),
    **admin_pages("messaging.message"),
    # --- a few of Django admin's own pages ---
    "admin:index": Expect(get={ANON: 302, OPS: 302, FIN: 302, PADMIN: 200, SU: 200}),
    # The admin's login is the portal's (with the second factor); a signed-in non-staff user gets 403.
    "admin:login": Expect(get={ANON: 302, OPS: 403, FIN: 403, PADMIN: 302, SU: 302}),
    "admin:logout": Expect(get={ANON: 302, OPS: 302, FIN: 302, PADMIN: 405, SU: 405}),
    "admin:password_change": Expect(get={ANON: 302, OPS: 302, FIN: 302, PADMIN: 200, SU: 200}),
    "admin:auth_user_changelist": Expect(get={ANON: 302, OPS: 302, FIN: 302, PADMIN: 403, SU: 200}),
    "admin:authtoken_tokenproxy_changelist": Expect(get={ANON: 302, OPS: 302, FIN: 302, PADMIN: 403, SU: 200}),
    "admin:axes_accessattempt_changelist": Expect(get={ANON: 302, OPS: 302, FIN: 302, PADMIN: 403, SU: 200}),
}


def test_every_project_url_has_a_matrix_entry():
    missing = sorted(set(project_urls()) - set(MATRIX))
    assert not missing, f"URLs without an entry in the role matrix (add them to MATRIX): {missing}"


def test_the_matrix_names_only_existing_urls():
    stale = sorted(set(MATRIX) - set(all_urls()))
    assert not stale, f"role matrix entries for URLs that no longer exist: {stale}"


LOGIN_URLS = ("/accounts/login/", "/admin/login/")


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role_matrix(name, site_objects, persona_users):
    expect = MATRIX[name]
    if name not in all_urls():
        pytest.fail(f"{name} is no longer a URL of the project: remove its matrix entry")
    url = all_urls()[name]
    path = reverse_with(url, pk=objects_by_kind(site_objects)[expect.obj].pk)
    for method, codes in (("get", expect.get), ("post", expect.post)):
        for persona, status in codes.items():
            response = getattr(client_for(persona_users[persona]), method)(path)
            assert response.status_code == status, f"{method.upper()} {path} as {persona}"
            if persona == ANON and status == 302 and name not in ("accounts:logout", "accounts:language"):
                assert response.url.startswith(LOGIN_URLS), f"{path}: anonymous sent to {response.url}"


def test_post_only_views_declare_their_post_access():
    """A view that answers GET with 405 is reached by POST: its POST access is in the matrix too."""
    for name, expect in MATRIX.items():
        if 405 in expect.get.values() and not name.startswith("admin:"):
            assert set(expect.post) == set(PERSONAS), f"{name}: add the POST expectations"
