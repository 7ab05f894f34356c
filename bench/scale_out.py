"""Scale-out, shown: two web processes and two Celery workers on one PostgreSQL and one Redis.

    python bench/scale_out.py            # 1,000 video bookings (SCALE_BOOKINGS to change)

Every process is started here, on 127.0.0.1, no docker: the partner simulator (50 ms), two
gunicorn processes on two ports, two Celery workers with their own node names. Each booking is
confirmed on BOTH web processes at the same moment (a double click landing on two servers),
then the workers send them. The partner's records count what was created: one booking per
reference and one POST /book per booking, or the duplicates are printed. Uses the bench's
database (dropped and recreated: its name must contain "bench") and Redis db (flushed).
"""

import os
import re
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("BENCH_LOG_FILE", str(ROOT / "var" / "bench" / "scale-out.log"))

import bench.settings  # noqa: E402,F401  (fills in the bench environment before Django reads it)
from bench import procs  # noqa: E402
from bench.run import flush_broker, prepare  # noqa: E402

BOOKINGS = int(os.environ.get("SCALE_BOOKINGS", 1000))
LATENCY_MS = int(os.environ.get("SCALE_LATENCY_MS", 50))
CLICKERS_PER_WEB = 4
WORKERS = ("scale-worker-1", "scale-worker-2")


def worker_log(name: str) -> Path:
    return procs.VAR / f"{name}.log"  # each process started by procs logs to its own file


def worker(name: str) -> procs.Process:
    argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=threads", "--concurrency=4"]
    argv += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-n", f"{name}@%h"]
    log = worker_log(name)
    log.unlink(missing_ok=True)
    return procs.Process(name, argv).start(lambda: log.exists() and "ready." in log.read_text(), timeout=90)


def web(port: int) -> procs.Process:
    argv = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    argv += ["--workers", "1", "--worker-class", "gthread", "--threads", "4", "--log-level", "warning"]
    return procs.Process(f"web-{port}", argv).start(procs.http_ok(f"http://127.0.0.1:{port}/healthz"))


def logged_in(base: str):
    import requests

    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": "operations", "password": "operations-demo-pass", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
    )
    answer.raise_for_status()
    return session, session.cookies["csrftoken"]


def confirm_everywhere(bases: list[str], ids: list[int]) -> Counter:
    """Each booking confirmed on every web process at once; the answers' status codes counted."""
    local = threading.local()
    codes: Counter = Counter()
    lock = threading.Lock()

    def session_for(base):
        sessions = local.__dict__.setdefault("sessions", {})
        if base not in sessions:
            sessions[base] = logged_in(base)
        return sessions[base]

    def click(base: str, booking_id: int) -> None:
        session, csrf = session_for(base)
        url = f"{base}/bookings/video/{booking_id}/confirm/"
        answer = session.post(url, data={"csrfmiddlewaretoken": csrf}, headers={"Referer": url}, timeout=60,
                              allow_redirects=False)  # fmt: skip
        with lock:
            codes[answer.status_code] += 1

    with ThreadPoolExecutor(CLICKERS_PER_WEB * len(bases)) as executor:
        futures = [executor.submit(click, base, booking_id) for booking_id in ids for base in bases]
        for future in futures:
            future.result()
    return codes


def main() -> int:
    started = time.monotonic()
    prepare()  # drops and recreates the bench database, migrates; flushes the broker
    flush_broker()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from bench.submissions import OPERATION, make_drafts
    from bookings.models import Booking
    from bookings.states import Status
    from partner_simulator.remote import RemoteSimulator

    sim_port = procs.free_port()
    simulator_url = f"http://127.0.0.1:{sim_port}"
    try:
        procs.simulator(sim_port, LATENCY_MS)
        call_command("seed_demo", simulator_url=simulator_url, verbosity=0)
        ids = make_drafts(BOOKINGS, get_user_model().objects.get(username="operations"))
        ports = [procs.free_port(), procs.free_port()]
        for port in ports:
            web(port)
        for name in WORKERS:
            worker(name)
        print(f"2 web processes on ports {ports}, 2 workers, {BOOKINGS} drafts; confirming each on both", flush=True)
        sending = time.monotonic()
        codes = confirm_everywhere([f"http://127.0.0.1:{port}" for port in ports], ids)
        pending = Booking.objects.filter(pk__in=ids, status__in=(Status.QUEUED, Status.SUBMITTING))
        deadline = time.monotonic() + 600
        while pending.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        wall = time.monotonic() - sending
        statuses = Counter(Booking.objects.filter(pk__in=ids).values_list("status", flat=True))
        simulator = RemoteSimulator(simulator_url)
        creates = simulator.creates(OPERATION)
        references = Counter(create.get("partner_reference") for create in creates)
        sends = len(simulator.received(OPERATION))
        duplicates = (len(creates) - len(references)) + max(0, sends - BOOKINGS)
        per_worker = {name: worker_log(name).read_text().count("succeeded in") for name in WORKERS}
    finally:
        procs.stop_all()
    print(f"confirm POSTs answered: {dict(sorted(codes.items()))} (2 per booking, one per web process)")
    print(f"tasks succeeded per worker: {per_worker}")
    print("final statuses: " + ", ".join(f"{status} {n}" for status, n in statuses.most_common()))
    print(f"at the partner: {len(creates)} bookings created for {len(references)} references, {sends} POST /book")
    print(
        f"duplicates: {duplicates}; {BOOKINGS} bookings in {wall:.1f} s; whole run {time.monotonic() - started:.0f} s"
    )
    ok = duplicates == 0 and statuses[Status.AWAITING_PAYMENT] == BOOKINGS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
