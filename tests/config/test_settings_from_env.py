"""Settings are read from the environment; production refuses to start without its secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "production-like-secret-key-with-enough-entropy-9f8e7d6c",
    "FIELD_ENCRYPTION_KEYS": "wSnuEp-NFBMYVxLa5NF3iygDOoMgFUuSdGQ8kUHUzE4=",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "postgres://portal@db.example.org:5432/portal",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
}


ENV_UNDER_TEST = {
    "DEBUG",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "TIME_ZONE",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their own thread only
    "PORTAL_VAR_DIR",
    "PARTNER_ALLOWED_HOSTS",
}


def _run(args, env):
    clean = {k: v for k, v in os.environ.items() if k not in ENV_UNDER_TEST}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True)


def _settings_value(name, env):
    result = _run(["shell", "-c", f"from django.conf import settings; print(repr(settings.{name}))"], env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS"])
def test_production_refuses_to_start_without_secrets(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _run(["check"], env)
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_check_deploy_is_clean_with_production_env():
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_settings_come_from_env():
    env = {
        **PRODUCTION_ENV,
        "TIME_ZONE": "Europe/Madrid",
        "FIELD_ENCRYPTION_KEYS": "a,b",
        "CELERY_BROKER_URL": "redis://h:6379/3",
    }
    assert _settings_value("TIME_ZONE", env) == "'Europe/Madrid'"
    assert _settings_value("FIELD_ENCRYPTION_KEYS", env) == "['a', 'b']"
    assert _settings_value("CELERY_BROKER_URL", env) == "'redis://h:6379/3'"
    assert _settings_value("CELERY_BROKER_TRANSPORT_OPTIONS", env) == "{'visibility_timeout': 3600}"


def test_zero_config_defaults_are_the_embedded_postgresql_and_redis(tmp_path):
    env = {"DEBUG": "true", "PORTAL_VAR_DIR": str(tmp_path)}
    try:
        assert _settings_value("DATABASES['default']['ENGINE']", env) == "'django.db.backends.postgresql'"
        assert _settings_value("DATABASES['default']['HOST']", env) == repr(str(tmp_path / "postgres"))
        assert _settings_value("CELERY_BROKER_URL", env) == repr(f"redis+socket://{tmp_path / 'redis' / 'redis.sock'}")
        assert _settings_value("TIME_ZONE", env) == "'Asia/Riyadh'"
        assert _settings_value("PARTNER_ALLOWED_HOSTS", env) == "['127.0.0.1', 'localhost']"  # the simulator
    finally:
        subprocess.run([sys.executable, "-m", "config.embedded", "stop", str(tmp_path)], cwd=ROOT, check=True)


PRODUCTION_BASE_URL_PROBE = """
from django.conf import settings
from partners.hosts import base_url_error
print(repr(settings.PARTNER_ALLOWED_HOSTS))
for environment, url in [
    ("production", "https://api.litedev.com/v1"),
    ("production", "http://api.litedev.com/v1"),
    ("production", "https://169.254.169.254/latest"),
    ("sandbox", "http://127.0.0.1:8100/sanar/video/v1"),
]:
    print(base_url_error(url, partner_code="sanar_video", environment=environment) is None)
"""


def test_production_settings_refuse_an_http_base_url_and_an_unlisted_host():
    result = _run(["shell", "-c", PRODUCTION_BASE_URL_PROBE], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-5:] == ["[]", "True", "False", "False", "False"]
