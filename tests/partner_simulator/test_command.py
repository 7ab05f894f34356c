"""``manage.py run_partner_simulator`` starts, answers, logs one line per request, stops."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from partner_simulator import demo_keys
from partner_simulator.remote import RemoteSimulator
from tests.partner_simulator.helpers import ENROLLMENT, JSON_HEADERS

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process, deadline_s: float = 15) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            requests.get(url + "/_sim/health", timeout=0.5)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError("the simulator did not start")


def test_command_serves_until_terminated():
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_partner_simulator", "--port", str(port), "--latency-ms", "0"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        response = requests.get(url + demo_keys.SANAR_VIDEO_PATH + "/specialities", headers=JSON_HEADERS, timeout=5)
        assert response.json()["status"] == 1000
        remote = RemoteSimulator(url)
        remote.inject("sandicare.enroll", "http_503")
        headers = {"x-api-key": demo_keys.SANDICARE_SANDBOX_KEY}
        enroll_url = url + demo_keys.SANDICARE_SANDBOX_PATH + "/meetings/enroll"
        assert requests.post(enroll_url, json=ENROLLMENT, headers=headers, timeout=5).status_code == 503
        assert requests.post(enroll_url, json=ENROLLMENT, headers=headers, timeout=5).status_code == 200
        assert remote.successful_creates("sandicare.enroll") == 1
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=10)
    assert process.returncode == 0, output
    assert f"listening on {url}" in output
    assert "GET /sanar-video/v1/specialities op=sanar_video.specialities -> 200 status=1000" in output
    assert "fault=http_503" in output
    assert "Partner simulator stopped" in output
    assert demo_keys.SANDICARE_SANDBOX_KEY not in output
    assert demo_keys.SANAR_TOKEN not in output
