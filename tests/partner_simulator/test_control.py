"""The ``/_sim`` control endpoints over HTTP, and ``RemoteSimulator`` driving them."""

import requests

from partner_simulator.remote import RemoteSimulator
from tests.partner_simulator.helpers import ENROLLMENT, enroll, video_get


def control(sim, method, name, payload=None, **params):
    response = requests.request(method, f"{sim.url}/_sim/{name}", json=payload, params=params, timeout=5)
    return response.status_code, response.json()


def test_health(partner_simulator):
    status, body = control(partner_simulator, "GET", "health")
    assert status == 200
    assert "sanar_video.book" in body["operations"]
    assert body["base_paths"]["sanar_video"] == "/sanar-video/v1"


def test_faults_over_http(partner_simulator):
    status, body = control(
        partner_simulator, "POST", "faults", {"operation": "sanar_video.specialities", "fault": "5000", "times": 2}
    )
    assert status == 200
    assert body["faults"] == [{"operation": "sanar_video.specialities", "fault": "5000", "times": 2, "sleep_s": None}]
    assert control(partner_simulator, "GET", "faults")[1]["faults"][0]["times"] == 2
    statuses = [video_get(partner_simulator, "specialities", {}).json()["status"] for _ in range(3)]
    assert statuses == [5000, 5000, 1000]
    control(partner_simulator, "POST", "faults", {"operation": "sandicare.enroll", "fault": "http_503", "times": -1})
    assert control(partner_simulator, "DELETE", "faults")[1]["faults"] == []
    assert enroll(partner_simulator, ENROLLMENT).status_code == 200


def test_invalid_fault_over_http(partner_simulator):
    status, body = control(partner_simulator, "POST", "faults", {"operation": "sandicare.enroll", "fault": "1005"})
    assert status == 400
    assert "1005" in body["error"]
    assert control(partner_simulator, "POST", "faults", {"fault": "5000"})[0] == 400
    assert control(partner_simulator, "GET", "nothing")[0] == 404


def test_latency_and_read_timeout_sleep_over_http(partner_simulator):
    assert control(partner_simulator, "POST", "latency", {"ms": 40})[1]["latency_ms"] == 40
    assert partner_simulator.state.latency_ms == 40
    assert control(partner_simulator, "POST", "latency", {"ms": -1})[0] == 400
    assert control(partner_simulator, "POST", "read-timeout-sleep", {"seconds": 0.5})[1]["read_timeout_sleep_s"] == 0.5


def test_received_creates_and_reset_over_http(partner_simulator):
    enroll(partner_simulator, ENROLLMENT)
    body = control(partner_simulator, "GET", "received", operation="sandicare.enroll")[1]
    assert body["requests"][0]["json"]["email"] == "patient@example.org"
    assert body["requests"][0]["headers"]["x-api-key"].startswith("sdx_")
    creates = control(partner_simulator, "GET", "creates", operation="sandicare.enroll")[1]
    assert creates["count"] == 1
    assert creates["creates"][0]["url"].startswith("https://nimbo.example/waiting-room/")
    assert control(partner_simulator, "GET", "creates")[1]["counts"]["sanar_video.book"] == 0
    control(partner_simulator, "POST", "reset")
    assert control(partner_simulator, "GET", "received")[1]["requests"] == []
    assert control(partner_simulator, "GET", "creates")[1]["counts"]["sandicare.enroll"] == 0


def test_control_calls_are_not_logged_as_partner_requests(partner_simulator):
    control(partner_simulator, "GET", "health")
    assert partner_simulator.received() == []


def test_remote_simulator(partner_simulator):
    remote = RemoteSimulator(partner_simulator.url)
    assert remote.base_url("sandicare_production") == partner_simulator.base_url("sandicare_production")
    remote.inject("sandicare.enroll", "http_404", times=1)
    assert remote.faults()[0]["fault"] == "http_404"
    assert enroll(partner_simulator, ENROLLMENT).status_code == 404
    assert enroll(partner_simulator, ENROLLMENT).status_code == 200
    assert remote.successful_creates("sandicare.enroll") == 1
    assert len(remote.creates("sandicare.enroll")) == 1
    assert len(remote.received("sandicare.enroll")) == 2
    remote.set_latency(5)
    remote.set_read_timeout_sleep(0.1)
    remote.reset()
    assert remote.received() == []
    assert remote.health()["ok"] is True
