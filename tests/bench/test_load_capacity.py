"""P6's limit: the CPU a page costs the web and database processes, beside the users' demand."""

import os
import subprocess
import sys
import time

from bench.load import capacity
from bench.submissions import cpu_seconds, tree_cpu_seconds


def test_the_limit_is_cores_over_the_cpu_of_a_page(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    lines = capacity(requests=100, web=5.0, database=1.0, users_cpu=0.4, people=150, think=(1.0, 3.0))
    assert lines[0] == (
        "CPU per page: gunicorn 50.0 ms, PostgreSQL 10.0 ms; the 150 simulated users "
        "(this process, on the same cores) 4.0 ms."
    )
    assert "= 2 ÷ 60.0 ms = 33 pages/s" in lines[1]
    assert "150 ÷ 2.0 s mean think time = 75 pages/s" in lines[1]


def test_no_request_no_limit():
    assert capacity(requests=0, web=1.0, database=1.0, users_cpu=0.0, people=1, think=(1.0, 3.0)) == []


def test_a_process_tree_counts_its_children():
    busy = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\ntime.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", busy])
    try:
        deadline = time.monotonic() + 10
        while cpu_seconds(child.pid) < 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tree_cpu_seconds(os.getpid()) >= cpu_seconds(os.getpid()) + cpu_seconds(child.pid) - 0.05
        assert cpu_seconds(child.pid) >= 0.25
    finally:
        child.kill()
        child.wait()
