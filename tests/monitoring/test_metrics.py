"""``/metrics``: Prometheus text for a scraper with the token or on an allowed network only."""

import pytest
import responses
from prometheus_client.parser import text_string_to_metric_families

from bookings.states import Status
from bookings.tasks import sweep_stuck_bookings
from partners.client import PartnerClient
from partners.errors import NotFound
from partners.models import Partner
from tests.factories import get_partner, make_booking

pytestmark = pytest.mark.django_db
OUTSIDER = {"REMOTE_ADDR": "203.0.113.9"}


def samples(response) -> dict:
    """``{(name, frozenset(labels.items())): value}`` of a /metrics answer."""
    assert response.status_code == 200, response.content[:200]
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def test_refused_to_an_outsider_without_the_token(client, settings):
    settings.METRICS_TOKEN = "scrape-token-0123456789"
    assert client.get("/metrics", **OUTSIDER).status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **OUTSIDER).status_code == 403
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789", **OUTSIDER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


def test_no_token_configured_means_networks_only(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ", **OUTSIDER).status_code == 403
    settings.METRICS_ALLOWED_NETWORKS = ["203.0.113.0/24"]
    assert client.get("/metrics", **OUTSIDER).status_code == 200


def test_forwarded_for_does_not_make_an_outsider_local(client):
    response = client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1", **OUTSIDER)
    assert response.status_code == 403


def test_plain_http_on_the_container_address_in_production(client, settings):
    settings.DEBUG, settings.SECURE_SSL_REDIRECT, settings.ALLOWED_HOSTS = False, True, ["portal.example.org"]
    assert client.get("/metrics", HTTP_HOST="10.0.3.7:8000").status_code == 200


def test_request_latency_by_view(client):
    before = value(samples(client.get("/metrics")), "portal_http_request_duration_seconds_count",
                   view="accounts:login", method="GET", status="2xx")  # fmt: skip
    client.get("/accounts/login/")
    after = samples(client.get("/metrics"))
    assert (
        value(after, "portal_http_request_duration_seconds_count", view="accounts:login", method="GET", status="2xx")
        == before + 1
    )
    assert not any(dict(labels).get("view") == "monitoring:metrics" for _, labels in after), "probes are not timed"


def test_partner_calls_by_partner_operation_and_outcome(client, settings, sanar_video_credential):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False
    labels = {"partner": "sanar_video", "operation": "slots"}
    before = samples(client.get("/metrics"))
    with responses.RequestsMock() as mock_http:
        mock_http.get("https://sanar.test/v1/slots", json={"status": "1000", "message": "ok", "data": {"info": {}}})
        PartnerClient(sanar_video_credential).request(operation="slots", method="GET", path="/slots")
    after = samples(client.get("/metrics"))
    calls = {"outcome": "ok", "side": "ok", **labels}
    assert (
        value(after, "portal_partner_calls_total", **calls) == value(before, "portal_partner_calls_total", **calls) + 1
    )
    name = "portal_partner_call_duration_seconds_count"
    assert value(after, name, outcome="ok", **labels) == value(before, name, outcome="ok", **labels) + 1
    bucket = value(after, "portal_partner_call_duration_seconds_bucket", outcome="ok", le="+Inf", **labels)
    assert bucket >= 1


def test_a_sandicare_404_is_an_answer_about_the_request_not_a_partner_failure(client, settings, sandicare_credential):
    settings.PARTNER_FORBID_CALLS_IN_TRANSACTION = False
    labels = {"partner": "sandicare", "operation": "enroll", "outcome": "not_found", "side": "request_answer"}
    before = value(samples(client.get("/metrics")), "portal_partner_calls_total", **labels)
    with responses.RequestsMock() as mock_http:
        mock_http.post("https://sandicare.test/api/v1/enroll", status=404, json={"error": "404", "message": "no sub"})
        with pytest.raises(NotFound):
            PartnerClient(sandicare_credential).request(operation="enroll", method="POST", path="/enroll", payload={})
    assert value(samples(client.get("/metrics")), "portal_partner_calls_total", **labels) == before + 1


def test_bookings_by_partner_and_status(client):
    for _ in range(3):
        make_booking(status=Status.AWAITING_PAYMENT)
    make_booking(status=Status.NEEDS_ATTENTION, partner=get_partner(Partner.Code.SANDICARE))
    found = samples(client.get("/metrics"))
    assert value(found, "portal_bookings", partner="sanar_video", status="awaiting_payment") == 3
    assert value(found, "portal_bookings", partner="sandicare", status="needs_attention") == 1


def test_celery_queue_length(client, monkeypatch):
    from kombu import Connection, Queue

    from config.celery import app

    if app.conf.broker_url.startswith("filesystem"):
        pytest.skip("needs a network broker")
    # A queue of this test: a worker of the test run may be consuming the real one.
    monkeypatch.setitem(app.conf, "task_default_queue", "metrics-test")
    with app.connection_for_write() as connection:
        queue = Queue("metrics-test", channel=connection.default_channel)
        queue.declare()
        queue.purge()
        with connection.Producer() as producer:
            for _ in range(2):
                producer.publish({"x": 1}, routing_key="metrics-test")
        try:
            found = samples(client.get("/metrics"))
            assert value(found, "portal_celery_queue_length", queue="metrics-test") == 2
        finally:
            queue.delete()
    monkeypatch.setattr(app, "connection_for_read", lambda: Connection("redis://127.0.0.1:1/0"))
    found = samples(client.get("/metrics"))
    assert not any(name == "portal_celery_queue_length" for name, _ in found), "no sample, no failed scrape"


def test_celery_task_outcomes(client):
    from celery.signals import task_failure, task_success

    labels = {"task": "bookings.tasks.sweep_stuck_bookings"}
    before = samples(client.get("/metrics"))
    task_success.send(sender=sweep_stuck_bookings, result={})
    task_failure.send(sender=sweep_stuck_bookings, task_id="t", exception=RuntimeError("x"))
    after = samples(client.get("/metrics"))
    for outcome in ("succeeded", "failed"):
        name = "portal_celery_tasks_total"
        assert value(after, name, outcome=outcome, **labels) == value(before, name, outcome=outcome, **labels) + 1


def test_the_grafana_dashboard_reads_only_metrics_the_portal_exports():
    import json
    import re
    from pathlib import Path

    from monitoring import metrics as portal_metrics

    dashboard = json.loads((Path(__file__).resolve().parents[2] / "deploy/grafana/portal-dashboard.json").read_text())
    exported = {
        portal_metrics.REQUEST_DURATION._name,
        portal_metrics.PARTNER_CALLS._name,
        portal_metrics.PARTNER_CALL_DURATION._name,
        portal_metrics.CELERY_TASKS._name,
        portal_metrics.MESSAGES._name,
        "portal_bookings",
        "portal_celery_queue_length",
    }
    used = {
        re.sub(r"_(bucket|count|sum|total)$", "", name)
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"\bportal_[a-z_]+", target["expr"])
    }
    assert used <= {re.sub(r"_total$", "", name) for name in exported}
    assert len(used) == 7
