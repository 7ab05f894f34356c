"""Settings for the test suite: the real settings, read from env, with test-only defaults.

The database and broker come from ``DATABASE_URL`` / ``CELERY_BROKER_URL`` like everywhere
else (PostgreSQL and Redis in CI); without them, the embedded PostgreSQL and Redis under
``var/test`` (config/embedded.py), on which pytest-django creates the test database.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghij")
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "Xq3Ue2JbCqYhV0mQnA8kq6m0m8oVQj8W1W6Zp7YyGfE=")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("LOG_FORMAT", "text")
os.environ.setdefault("PARTNER_SIMULATOR_ENABLED", "true")
# The simulator on loopback, and the reserved .test/.invalid names (RFC 6761) the mocked partners use.
os.environ.setdefault("PARTNER_ALLOWED_HOSTS", "127.0.0.1,localhost,.test,.invalid")
# A test that forgets to point the message provider at the simulator reaches a closed local port.
os.environ.setdefault("UNIFONIC_SMS_URL", "http://127.0.0.1:9")
os.environ.setdefault("UNIFONIC_WHATSAPP_URL", "http://127.0.0.1:9")
os.environ.setdefault("PORTAL_VAR_DIR", os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "test"))

from config.settings import *  # noqa: E402,F403

AXES_ENABLED = False  # Client.login() has no request for axes; lockout tests enable it themselves.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns about a missing root)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
PARTNER_RETRY_BACKOFF_SECONDS = 0
# pytest-django's `db` fixture wraps each test in a transaction; worker and e2e tests keep the rule.
PARTNER_FORBID_CALLS_IN_TRANSACTION = False
