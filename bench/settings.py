"""Settings for the benchmark processes: production settings, bench secrets, plain-HTTP cookies.

Everything the bench starts (this process, the Celery worker, gunicorn) uses this module,
so each reads the same database (``portal_bench``), Redis db 7 and simulator.
"""

import os

_BENCH_DEFAULTS = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdefghij",
    "FIELD_ENCRYPTION_KEYS": "bYK-NseM0fMnuENSQpZ5CWO6LkRT0zNfmyMmNiRyiIA=",
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "PARTNER_ALLOWED_HOSTS": "127.0.0.1,localhost",  # the simulator
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/portal_bench",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/7",
    "PORTAL_VAR_DIR": os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var", "bench"),
    "LOG_FORMAT": "json",
    "PARTNER_SIMULATOR_ENABLED": "true",  # run_partner_simulator and seed_demo
}
for _name, _value in _BENCH_DEFAULTS.items():
    os.environ.setdefault(_name, _value)

from config.settings import *  # noqa: E402,F403

# A queue of the bench's own: the P2b broker (RabbitMQ) may be shared with other users.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("BENCH_CELERY_QUEUE", "celery")
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405  (manage.py generate_bookings)

# The bench talks plain HTTP on 127.0.0.1: cookies marked Secure would never be sent back.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
os.makedirs(os.environ["PORTAL_VAR_DIR"], exist_ok=True)
# Log lines are written (their cost is part of what is measured) to a file, not the table.
LOGGING["handlers"]["console"] = {  # noqa: F405
    "class": "logging.FileHandler",
    "filename": os.environ.get("BENCH_LOG_FILE", os.path.join(os.environ["PORTAL_VAR_DIR"], "portal.log")),
    "formatter": LOG_FORMAT,  # noqa: F405
    "filters": ["request_id"],
}
