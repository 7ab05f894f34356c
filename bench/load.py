"""P6: concurrent logged-in staff sessions against gunicorn for a fixed time: p50/p95 latency, errors.

Each simulated user is a thread with its own ``requests.Session``, logged in through the
login form (CSRF token and all; finance also gives the code of a known authenticator key)
before the clock starts. Operations users open the
dashboard, the bookings list (half filtered, half not), a booking's page and a video flow
step (the speciality step of their own draft); finance users the first three. Each user
waits a random think time between two requests, as staff do; a non-200 answer (a redirect
included) or a network error counts as an error. An optional stress pass with short think
times follows, to show where this machine saturates; it is reported, not judged.
"""

import os
import random
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts import roles
from accounts.second_factor import second_factor_required
from bench.lists import _urls
from bench.report import Result, ms, percentile
from bench.submissions import BackendCpu, tree_cpu_seconds
from bookings.models import Booking
from partner_simulator.demo_second_factor import code_for_key, demo_device
from partners.catalogue.video import sync_video_catalogue
from partners.models import Partner

PASSWORD = "bench-staff-pass-2026"
# Finance signs in with a code too: every bench user who needs one has an authenticator with this key.
BENCH_TOTP_KEY = "62656e63682d73746166662d746f74702d6b6579"
P95_GOAL = 0.300
LOGIN_CONCURRENCY = 4
OPERATIONS_PAGES = {"dashboard": 20, "list": 30, "detail": 30, "flow step": 20}
FINANCE_PAGES = {"dashboard": 20, "list": 45, "detail": 35}


def make_users(count: int) -> list[tuple[str, str, int | None]]:
    """(username, role, draft id) per user: about 70 % operations (each with a video draft), the rest finance."""
    User = get_user_model()
    password = make_password(PASSWORD)
    groups = {role: Group.objects.get(name=role) for role in (roles.OPERATIONS, roles.FINANCE)}
    partner = Partner.objects.get(code=Partner.Code.SANAR_VIDEO)
    users = []
    for index in range(count):
        role = roles.OPERATIONS if index % 10 < 7 else roles.FINANCE
        user, _ = User.objects.update_or_create(username=f"bench-staff-{index:02d}", defaults={"password": password})
        user.groups.set([groups[role]])
        if second_factor_required(user):
            demo_device(user, key=BENCH_TOTP_KEY)
        draft = None
        if role == roles.OPERATIONS:
            draft = Booking.objects.create(partner=partner, created_by=user)
            Booking.objects.filter(pk=draft.pk).update(reference=f"BK-{draft.pk:06d}")
        users.append((user.username, role, draft.pk if draft else None))
    return users


def login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    login_url = f"{base}/accounts/login/"
    session.get(login_url, timeout=120).raise_for_status()
    response = session.post(
        login_url,
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": login_url},
        allow_redirects=False,
        timeout=120,
    )
    if response.status_code == 200 and 'name="token-otp_token"' in response.text:
        response = session.post(
            login_url,
            data={
                "login_view-current_step": "token",
                "token-otp_token": code_for_key(BENCH_TOTP_KEY),
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            headers={"Referer": login_url},
            allow_redirects=False,
            timeout=30,
        )
    if response.status_code != 302:
        raise RuntimeError(f"login of {username} answered {response.status_code}")
    return session


@dataclass
class Pass:
    seconds: float
    think: tuple[float, float]
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def everything(self) -> list[float]:
        return [value for values in self.samples.values() for value in values]

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def summary(self) -> str:
        everything = self.everything
        return (
            f"p50 {ms(percentile(everything, 0.5))}, p95 {ms(percentile(everything, 0.95))}, "
            f"{self.error_count} errors, {len(everything) / self.seconds:.0f} req/s"
        )


def drive(sessions: dict, people: list, paths: dict, *, seconds: float, think: tuple[float, float]) -> Pass:
    """Every user in its own thread, until ``seconds`` have passed."""
    result = Pass(seconds=seconds, think=think)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user_loop(username: str, role: str, draft_id: int | None, seed: int) -> None:
        rng = random.Random(seed)
        session = sessions[username]
        pages = OPERATIONS_PAGES if role == roles.OPERATIONS else FINANCE_PAGES
        time.sleep(rng.uniform(0, think[1]))  # users do not all start at the same instant
        while time.monotonic() < deadline:
            page = rng.choices(list(pages), weights=list(pages.values()))[0]
            path = paths[page](rng, draft_id)
            started = time.perf_counter()
            try:
                status = session.get(base_url + path, allow_redirects=False, timeout=30).status_code
                problem = None if status == 200 else f"HTTP {status}"
            except requests.RequestException as exc:
                problem = type(exc).__name__
            elapsed = time.perf_counter() - started
            with lock:
                result.samples[page].append(elapsed)
                if problem:
                    result.errors[page] += 1
                    result.kinds[f"{page}: {problem}"] += 1
            time.sleep(rng.uniform(*think))

    base_url = paths["base"]
    threads = [threading.Thread(target=user_loop, args=(*person, index)) for index, person in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return result


def server_times(access_log: Path, offset: int) -> list[float]:
    """Request durations gunicorn logged after ``offset`` (format ``%(D)s``: microseconds)."""
    with access_log.open() as log:
        log.seek(offset)
        return [int(line.split()[-1]) / 1e6 for line in log if line.strip()]


def capacity(
    *, requests: int, web: float, database: float, users_cpu: float, people: int, think: tuple[float, float]
) -> list[str]:
    """What one page costs the machine's cores, and how many pages a second they can serve against the users' demand."""
    if not requests:
        return []
    cores = os.cpu_count() or 1
    per_page = (web + database) / requests
    mean_think = sum(think) / 2  # each user asks once per think time, when pages come back at once
    return [
        f"CPU per page: gunicorn {ms(web / requests)}, PostgreSQL {ms(database / requests)}; the {people} simulated "
        f"users (this process, on the same cores) {ms(users_cpu / requests)}.",
        f"limit = cores ÷ (gunicorn + PostgreSQL CPU per page) = {cores} ÷ {ms(per_page)} = "
        f"{cores / per_page:.0f} pages/s, against the users' demand of {people} ÷ {mean_think:.1f} s mean think "
        f"time = {people / mean_think:.0f} pages/s: a queue forms whenever the demand nears the limit.",
    ]


def run(
    *,
    base: str,
    users: int,
    seconds: float,
    think: tuple[float, float],
    stress_seconds: float,
    stress_think: tuple[float, float],
    server: str,
    server_pid: int,
    access_log: Path,
) -> Result:
    sync_video_catalogue()  # the flow step reads the mirrored catalogue
    people = make_users(users)
    booking_ids = list(Booking.objects.order_by("?").values_list("pk", flat=True)[:500])
    filtered_list = _urls()[0]
    paths = {
        "base": base,
        "dashboard": lambda rng, draft: "/",
        "list": lambda rng, draft: filtered_list if rng.random() < 0.5 else "/bookings/",
        "detail": lambda rng, draft: f"/bookings/{rng.choice(booking_ids)}/",
        "flow step": lambda rng, draft: f"/bookings/video/{draft}/speciality/",
    }
    sessions = {}
    started_login = time.monotonic()
    # A few at a time: each login hashes a password (deliberately slow), and 150 at once time out.
    with ThreadPoolExecutor(LOGIN_CONCURRENCY) as executor:
        for username, session in executor.map(lambda u: (u, login(base, u)), [u for u, _, _ in people]):
            sessions[username] = session
    login_s = time.monotonic() - started_login
    offset = access_log.stat().st_size if access_log.exists() else 0
    backends = BackendCpu.of_this_database().start()
    web_cpu_before, users_cpu_before = tree_cpu_seconds(server_pid), time.process_time()
    main = drive(sessions, people, paths, seconds=seconds, think=think)
    web_cpu, users_cpu = tree_cpu_seconds(server_pid) - web_cpu_before, time.process_time() - users_cpu_before
    database_cpu = backends.stop()
    on_server = server_times(access_log, offset) if access_log.exists() else []
    everything = main.everything
    cost = capacity(
        requests=len(everything), web=web_cpu, database=database_cpu, users_cpu=users_cpu, people=users, think=think
    )
    details = [
        f"{len(sessions)} of {users} users logged in through the login form in {login_s:.1f} s (not timed); "
        f"each waits {think[0]}–{think[1]} s between two requests (think time); {len(everything)} requests.",
        *[
            f"{page}: {len(values)} requests, p50 {ms(percentile(values, 0.5))}, "
            f"p95 {ms(percentile(values, 0.95))}, {main.errors[page]} errors"
            for page, values in sorted(main.samples.items())
        ],
        f"time inside gunicorn (its access log, queueing for a thread excluded): p50 "
        f"{ms(percentile(on_server, 0.5))}, p95 {ms(percentile(on_server, 0.95))}.",
        *([f"errors: {', '.join(f'{kind} × {n}' for kind, n in sorted(main.kinds.items()))}"] if main.kinds else []),
        *cost,
    ]
    if stress_seconds > 0:
        stress = drive(sessions, people, paths, seconds=stress_seconds, think=stress_think)
        details.append(
            f"stress pass, not the goal: the same users waiting only {stress_think[0]}–{stress_think[1]} s, "
            f"{stress_seconds:.0f} s: {stress.summary()}."
        )
    return Result(
        id="P6",
        measure=f"{users} logged-in staff sessions, {seconds:.0f} s, think {think[0]}–{think[1]} s, gunicorn ({server})",
        value=main.summary(),
        goal=f"p95 ≤ {P95_GOAL * 1000:.0f} ms, 0 errors",
        holds=percentile(everything, 0.95) <= P95_GOAL and main.error_count == 0 and len(sessions) == users,
        details=details,
    )
