"""``/healthz`` and ``/readyz``: no login, plain HTTP on any Host, no secrets, a 503 that says why."""

import pytest
from django.db import connections
from django.urls import reverse

from monitoring import health
from partner_simulator import demo_keys

PRODUCTION_LIKE = {"DEBUG": False, "SECURE_SSL_REDIRECT": True, "ALLOWED_HOSTS": ["portal.example.org"]}


@pytest.fixture
def migrations_not_cached(monkeypatch):
    monkeypatch.setattr(health, "_migrations_seen_applied", False)


def test_healthz_answers_without_login_or_database(client):
    """No ``db`` fixture: pytest-django makes any database access in this test raise."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_plain_http_on_the_container_address(client, settings, path):
    """The probe reaches the process by IP over HTTP: no HTTPS redirect, no 400 for the Host."""
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)
    response = client.get(path, HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200
    assert "X-Request-ID" in response


@pytest.mark.django_db
def test_the_rest_of_the_site_still_redirects_to_https(client, settings):
    for name, value in PRODUCTION_LIKE.items():
        setattr(settings, name, value)
    assert client.get("/accounts/login/", HTTP_HOST="portal.example.org").status_code == 301


@pytest.mark.django_db
def test_readyz_checks_database_migrations_and_broker(client, migrations_not_cached):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "broker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["migrations"]["detail"] == "all applied"


@pytest.mark.django_db
def test_readyz_shows_partner_credentials_without_failing_or_leaking(
    client, sanar_video_credential, sandicare_credential
):
    sandicare_credential.is_failing = True
    sandicare_credential.failing_reason = "401 from partner"
    sandicare_credential.save()
    response = client.get("/readyz")
    assert response.status_code == 200, "a partner's credential state never makes the portal unready"
    assert response.json()["partner_credentials"] == {
        "sanar_vaccination": "missing",
        "sanar_video": "ok",
        "sandicare": "failing",
    }
    text = response.content.decode()
    for secret in (demo_keys.SANAR_TOKEN, demo_keys.SANAR_CMT_SECRET, demo_keys.SANDICARE_SANDBOX_KEY):
        assert secret not in text
    assert "401 from partner" not in text


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_does_not_answer(client, monkeypatch):
    from kombu import Connection

    from config.celery import app

    monkeypatch.setattr(app, "connection_for_write", lambda: Connection("redis://:hunter2@127.0.0.1:1/0"))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert "hunter2" not in response.content.decode(), "only the error's class is shown"


@pytest.mark.django_db
def test_readyz_is_503_while_migrations_are_pending(client, monkeypatch, migrations_not_cached):
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("bookings.0099_future", False)]
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        "ok": False,
        "detail": "1 not applied",
        "ms": pytest.approx(0, abs=1000),
    }


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OSError("could not connect to host db.internal user portal password s3cret")

    monkeypatch.setattr(connections["default"], "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == {"ok": False, "detail": "error: OSError", "ms": pytest.approx(0, abs=1000)}
    assert "partner_credentials" not in body
    assert "s3cret" not in response.content.decode()


@pytest.mark.parametrize("name", ["monitoring:healthz", "monitoring:readyz", "monitoring:metrics"])
def test_probes_answer_only_safe_methods(client, name):
    assert client.post(reverse(name)).status_code == 405
