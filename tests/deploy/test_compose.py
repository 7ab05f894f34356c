"""docker-compose.yml from a fresh clone, its production file, and the image they run.

No docker daemon answers here: these read the files as ``docker compose config`` would
(tests/deploy/compose.py) and load the settings each service would get in a subprocess.
"""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.deploy.compose import ROOT, MissingVariable, load

PRODUCTION = ("docker-compose.yml", "deploy/compose.production.yml")
PORTAL_SERVICES = ("migrate", "web", "worker", "beat")
PRODUCTION_ENV = {
    "SECRET_KEY": "a-real-secret-key-of-fifty-characters-0123456789abcdefgh",
    "FIELD_ENCRYPTION_KEYS": "Xq3Ue2JbCqYhV0mQnA8kq6m0m8oVQj8W1W6Zp7YyGfE=",
    "ALLOWED_HOSTS": "portal.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
    "POSTGRES_PASSWORD": "a-database-password",
}


def settings_in(environment: dict) -> dict:
    """The security settings a process started with ``environment`` (and no .env) ends up with."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
        "for k in ('DEBUG', 'LOCAL_HTTP', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_HSTS_SECONDS', 'ALLOWED_HOSTS', 'PARTNER_ENVIRONMENT')}))"
    )
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", **environment}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_fresh_clone_needs_no_env_file():
    config = load("docker-compose.yml", env={})
    for name in PORTAL_SERVICES:
        assert config["services"][name]["env_file"] == [{"path": ".env", "required": False}]


def test_web_replicas_each_take_a_host_port_of_the_range():
    assert load("docker-compose.yml", env={})["services"]["web"]["ports"] == ["8000:8000"]
    scaled = load("docker-compose.yml", env={"WEB_PORTS": "8000-8002"})["services"]["web"]["ports"]
    assert scaled == ["8000-8002:8000"]  # --scale web=3: one host port each, no clash


def test_local_defaults_serve_plain_http_on_localhost():
    web = load("docker-compose.yml", env={})["services"]["web"]["environment"]
    assert web["LOCAL_HTTP"] == "true"
    loaded = settings_in(web)
    assert loaded["DEBUG"] is False
    assert loaded["SECURE_SSL_REDIRECT"] is False
    assert loaded["SESSION_COOKIE_SECURE"] is False
    assert loaded["SECURE_HSTS_SECONDS"] == 0
    assert "localhost" in loaded["ALLOWED_HOSTS"]


def test_the_example_env_works_locally_with_the_documented_switch():
    example = dict(
        line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if re.match(r"^[A-Z_]+=", line)
    )
    example["FIELD_ENCRYPTION_KEYS"] = PRODUCTION_ENV["FIELD_ENCRYPTION_KEYS"]
    assert settings_in(example)["SECURE_SSL_REDIRECT"] is True, "as shipped: production, HTTPS only"
    local = settings_in({**example, "LOCAL_HTTP": "true", "PARTNER_ENVIRONMENT": "sandbox"})
    assert local["SECURE_SSL_REDIRECT"] is False
    assert {"localhost", "127.0.0.1", "portal.example.org"} <= set(local["ALLOWED_HOSTS"])


def test_local_http_is_refused_with_production_partner_keys():
    env = {**PRODUCTION_ENV, "LOCAL_HTTP": "true", "PARTNER_ENVIRONMENT": "production"}
    code = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "LOCAL_HTTP=true is for trying the portal on http://localhost" in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS", "POSTGRES_PASSWORD"])
def test_production_names_each_missing_secret(missing):
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != missing}
    with pytest.raises(MissingVariable, match=f"required variable {missing} is missing a value: set {missing} in .env"):
        load(*PRODUCTION, env=env)


def test_production_is_https_only_and_requires_the_env_file():
    config = load(*PRODUCTION, env=PRODUCTION_ENV)
    for name in PORTAL_SERVICES:
        service = config["services"][name]
        assert service["env_file"] == [{"path": ".env", "required": True}]
        assert service["environment"]["LOCAL_HTTP"] == "false"
    loaded = settings_in(config["services"]["web"]["environment"])
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is True and loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["SECURE_HSTS_SECONDS"] >= 31536000
    assert loaded["ALLOWED_HOSTS"] == ["portal.example.org"]
    assert loaded["PARTNER_ENVIRONMENT"] == "production"


def test_migrations_run_once_before_the_portal_starts():
    services = load("docker-compose.yml")["services"]
    migrate = services["migrate"]
    assert migrate["command"] == ["bin/release"]
    assert migrate["restart"] == "no"
    assert {"DJANGO_SUPERUSER_USERNAME", "DJANGO_SUPERUSER_PASSWORD", "DJANGO_SUPERUSER_EMAIL"} <= set(
        migrate["environment"]
    )
    for name in ("web", "worker", "beat", "demo-data"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name


def test_demo_data_and_simulator_only_in_the_demo_profile():
    services = load("docker-compose.yml")["services"]
    in_demo = {name for name, service in services.items() if "demo" in service.get("profiles", [])}
    assert in_demo == {"simulator", "demo-data"}
    for name, service in services.items():
        if name not in in_demo:
            assert "profiles" not in service, name
            assert "seed_demo" not in json.dumps(service.get("command", "")), name


def test_dockerfile_pinned_non_root_static_and_health():
    dockerfile = (ROOT / "Dockerfile").read_text()
    base = re.search(r"^FROM (\S+)", dockerfile, re.M)[1]
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-[a-z]+(@sha256:[0-9a-f]{64})?", base), base
    user = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^RUN .*manage\.py collectstatic --noinput", dockerfile, re.M | re.S)
    healthcheck = re.search(r"^HEALTHCHECK .*", dockerfile, re.M | re.S)[0]
    assert "http://127.0.0.1:8000/healthz" in healthcheck
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", "var", ".git"} <= set(ignored)


def test_healthcheck_url_is_the_liveness_probe():
    from django.urls import resolve

    assert resolve("/healthz").view_name == "monitoring:healthz"


def test_image_and_make_run_the_same_commands():
    """What the image runs is what `make run` runs: one release script, one Celery app, one set of pins."""
    services = load("docker-compose.yml")["services"]
    run_dev = (ROOT / "bin" / "run-dev").read_text()
    makefile = (ROOT / "Makefile").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^[^#]*bash bin/release", run_dev, re.M), "bin/run-dev migrates through bin/release"
    assert services["migrate"]["command"] == ["bin/release"]
    for role in ("worker", "beat"):
        assert services[role]["command"][:4] == ["celery", "-A", "config", role]
        assert re.search(rf"^[^#]*celery -A config (-q )?{role}\b", run_dev, re.M), role
    assert "pip install -r requirements.txt" in dockerfile
    assert "-r requirements-dev.txt" in makefile
    assert (ROOT / "requirements-dev.txt").read_text().splitlines()[1:3].count("-r requirements.txt") == 1


def test_release_script_migrates_and_creates_the_first_admin_once(transactional_db, django_user_model):
    from tests.worker_fixtures import worker_env

    test_run = worker_env()  # the test database and broker, embedded or not
    env = {
        "PATH": os.environ["PATH"],
        "PYTHON": sys.executable,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": test_run["DATABASE_URL"],
        "CELERY_BROKER_URL": test_run["CELERY_BROKER_URL"],
        "DJANGO_SUPERUSER_USERNAME": "first-admin",
        "DJANGO_SUPERUSER_PASSWORD": "first-admin-pass-8x",
        "DJANGO_SUPERUSER_EMAIL": "admin@example.org",
    }
    for run in range(2):
        result = subprocess.run(
            ["bash", "bin/release"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert result.returncode == 0, f"run {run + 1}: {result.stdout[-1500:]}{result.stderr[-1500:]}"
    assert "exists already" in result.stdout
    admin = django_user_model.objects.get(username="first-admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("first-admin-pass-8x")
    missing_password = {**env, "DJANGO_SUPERUSER_PASSWORD": ""}
    result = subprocess.run(["bash", "bin/release"], cwd=ROOT, env=missing_password, capture_output=True, text=True)
    assert result.returncode == 1
    assert "DJANGO_SUPERUSER_PASSWORD" in result.stderr


def test_an_env_copied_from_the_example_still_reaches_the_compose_services():
    example = dict(
        line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if re.match(r"^[A-Z_]+=", line)
    )
    web = load("docker-compose.yml", env=example)["services"]["web"]["environment"]
    assert "@postgres:5432/" in web["DATABASE_URL"]
    assert web["CELERY_BROKER_URL"] == "redis://redis:6379/0"
