"""Settings for the partner booking portal, read from the environment.

Zero-config default (``make run``, ``make test``): an embedded PostgreSQL and Redis under ``var/``
(config/embedded.py).
Production: set ``DEBUG=False``, ``SECRET_KEY``, ``FIELD_ENCRYPTION_KEYS``, ``DATABASE_URL``
and ``CELERY_BROKER_URL``; the process refuses to start without the secrets.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# Development-only fallbacks: a production process (DEBUG=False) has none and refuses to start.
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me-0123456789abcdefghijklmnop"
_DEV_FIELD_KEY = "wSnuEp-NFBMYVxLa5NF3iygDOoMgFUuSdGQ8kUHUzE4="

SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[_DEV_FIELD_KEY] if DEBUG else [])
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is False.")
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG is False.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "pgtrigger",
    "accounts",
    "partners",
    "bookings",
    "patients",
    "access_records",
    "privacy",
    "messaging",
    "monitoring",
    "ui",
]

MIDDLEWARE = [
    "config.request_id.RequestIdMiddleware",
    "monitoring.middleware.ProbeMiddleware",
    "monitoring.middleware.RequestMetricsMiddleware",
    "config.nul_guard.RejectNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before LoginRequiredMiddleware: an idle or revoked session is signed out, then sent to the login.
    "accounts.sessions.SessionFreshnessMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After LoginRequiredMiddleware: a signed-in user who needs a second factor and has not given it.
    "accounts.second_factor.SecondFactorRequiredMiddleware",
    # After LocaleMiddleware (cookie, Accept-Language) and the user: a saved preference wins.
    "accounts.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "bookings.middleware.DatabaseConflictMiddleware",
]

ROOT_URLCONF = "config.urls"
# Widgets render through TEMPLATES, so templates/django/forms/ can replace a widget's template.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {"default": embedded.postgres_database(VAR_DIR, "portal")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Per process unless CACHE_URL names a shared cache (e.g. redis://127.0.0.1:6379/2).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "bookings:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor sign-in (TOTP + recovery codes): always for admins, partner admins and finance;
# for operations staff when this is on (accounts/second_factor.py).
TWO_FACTOR_REQUIRED_FOR_OPERATIONS = env.bool("TWO_FACTOR_REQUIRED_FOR_OPERATIONS", default=False)
# The portal's admin site asks for the second factor itself (config/admin_site.py): no monkeypatch.
TWO_FACTOR_PATCH_ADMIN = False
# After a wrong code a TOTP device refuses codes for 1, 2, 4, 8… seconds (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Idle limit beside the absolute SESSION_COOKIE_AGE: a session unused this long is signed out.
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=30 * 60)

# The portal's languages: staff choose one in the menu (saved on their profile); otherwise the
# browser's Accept-Language decides, then LANGUAGE_CODE.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times: Django's named formats of the active language (``|date:"SHORT_DATETIME_FORMAT"``),
# in TIME_ZONE; config/formats/ adjusts them. Money: Babel (bookings/templatetags/money.py).
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Riyadh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# --- Security (production values whenever DEBUG is off) ---
# LOCAL_HTTP=true tries a production build on http://localhost (docker compose without a .env):
# no HTTPS redirect, no HSTS, cookies also sent over http, localhost among the hosts. Refused
# with the production partner environment (below), so real partner keys never travel that way.
LOCAL_HTTP = env.bool("LOCAL_HTTP", default=False)
_HTTPS_ONLY = not DEBUG and not LOCAL_HTTP
if LOCAL_HTTP:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_HTTPS_ONLY)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS_ONLY
SECURE_HSTS_PRELOAD = _HTTPS_ONLY
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = _HTTPS_ONLY
CSRF_COOKIE_SECURE = _HTTPS_ONLY
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "https:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- REST API ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partner booking portal API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Celery ---
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or embedded.redis_url(VAR_DIR)
# Redis redelivers an unacknowledged message after this many seconds: every task's hard
# time limit and retry countdown stays far below it (see NOTES.md, "Celery on Redis").
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Celery's Django fixup closes the database connections around every task (a new PostgreSQL
# connection per task) unless this is set; with it, it closes them once every this many tasks,
# and config/celery.py applies Django's own rule between tasks (CONN_MAX_AGE, CONN_HEALTH_CHECKS).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=1000)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Partner catalogues (specialities, doctors, ...) are mirrored in the database on this interval.
CATALOGUE_SYNC_INTERVAL_SECONDS = env.int("CATALOGUE_SYNC_INTERVAL_SECONDS", default=6 * 60 * 60)
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-bookings": {
        "task": "bookings.tasks.sweep_stuck_bookings",
        "schedule": env.int("SWEEP_INTERVAL_SECONDS", default=60),
    },
    "sweep-messages": {
        "task": "messaging.tasks.sweep_messages",
        "schedule": env.int("MESSAGE_SWEEP_INTERVAL_SECONDS", default=5 * 60),
    },
    "queue-reminders": {
        "task": "messaging.tasks.queue_reminders",
        "schedule": env.int("REMINDER_SCAN_SECONDS", default=5 * 60),
    },
    "sync-catalogues": {
        "task": "partners.tasks.sync_catalogues",
        "schedule": CATALOGUE_SYNC_INTERVAL_SECONDS,
    },
    "apply-retention": {
        "task": "privacy.tasks.apply_retention",
        "schedule": env.int("RETENTION_INTERVAL_SECONDS", default=24 * 60 * 60),
    },
}
# Patient identifiers are kept this many days after the appointment (after the booking was made
# when it has none), then pseudonymised by the daily retention run (docs/privacy.md).
PATIENT_DATA_RETENTION_DAYS = env.int("PATIENT_DATA_RETENTION_DAYS", default=730)

# --- Partner calls (CONTRACT.md §5) ---
# The contract check saves the answers it read here, redacted, in the test fixtures' layout.
PARTNER_SAMPLES_DIR = VAR_DIR / "partner_samples"
# Which credential environment the portal uses: the active credential of each partner in it.
PARTNER_ENVIRONMENT = env.str("PARTNER_ENVIRONMENT", default="sandbox")
# The partners' answers against the shapes the portal reads, once a day; a breaking drift
# raises the partner admins' banner. On by default where the portal talks to production.
if env.bool("CONTRACT_CHECK_DAILY", default=PARTNER_ENVIRONMENT == "production"):
    CELERY_BEAT_SCHEDULE["check-contracts"] = {"task": "partners.tasks.check_contracts", "schedule": 24 * 60 * 60}
if LOCAL_HTTP and PARTNER_ENVIRONMENT == "production":
    raise ImproperlyConfigured(
        "LOCAL_HTTP=true is for trying the portal on http://localhost: set PARTNER_ENVIRONMENT=sandbox."
    )
PARTNER_CONNECT_TIMEOUT = env.float("PARTNER_CONNECT_TIMEOUT", default=3.05)
PARTNER_READ_TIMEOUT = env.float("PARTNER_READ_TIMEOUT", default=15.0)
PARTNER_MAX_RETRIES = env.int("PARTNER_MAX_RETRIES", default=4)
PARTNER_RETRY_BACKOFF_SECONDS = env.int("PARTNER_RETRY_BACKOFF_SECONDS", default=5)
PARTNER_RETRY_BACKOFF_MAX_SECONDS = env.int("PARTNER_RETRY_BACKOFF_MAX_SECONDS", default=300)
PARTNER_STORED_BODY_MAX_CHARS = env.int("PARTNER_STORED_BODY_MAX_CHARS", default=8000)
PARTNER_USER_AGENT = "partner-booking-portal/1.0"
# Hosts a credential's base URL may name besides the partner's documented host (partners/hosts.py),
# in ALLOWED_HOSTS form (".example.org" also matches its subdomains; "*" is ignored). Only the
# sandbox may use plain http, and only for these hosts: the partner simulator runs on loopback.
PARTNER_ALLOWED_HOSTS = env.list("PARTNER_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
# No partner call may run inside a database transaction (a lock held across network I/O).
PARTNER_FORBID_CALLS_IN_TRANSACTION = True
# A booking left in `submitting` longer than this is sent to verify_with_partner by the sweeper.
SUBMITTING_STUCK_AFTER_SECONDS = env.int("SUBMITTING_STUCK_AFTER_SECONDS", default=CELERY_TASK_TIME_LIMIT * 2)
QUEUED_STUCK_AFTER_SECONDS = env.int("QUEUED_STUCK_AFTER_SECONDS", default=10 * 60)
# A partner is out (the banner on every staff page) when its current run of partner failures
# (5000/503, timeouts, no connection, unreadable answers; any answer ends the run) has at least
# PARTNER_OUTAGE_FAILURES failures in the last PARTNER_OUTAGE_WINDOW_MINUTES. Read once per
# PARTNER_OUTAGE_CACHE_SECONDS per cache.
PARTNER_OUTAGE_FAILURES = env.int("PARTNER_OUTAGE_FAILURES", default=3)
PARTNER_OUTAGE_WINDOW_MINUTES = env.int("PARTNER_OUTAGE_WINDOW_MINUTES", default=15)
PARTNER_OUTAGE_CACHE_SECONDS = env.int("PARTNER_OUTAGE_CACHE_SECONDS", default=30)
# Whom staff call when a partner keeps failing, shown on a booking whose retries gave up:
# JSON, partner code → free text (phone, email, hours), e.g.
# {"sanar_video": "+966 11 000 0000 (24 h)", "sandicare": "soporte@sandicare.mx"}. Unset: not shown.
PARTNER_SUPPORT_CONTACTS = env.json("PARTNER_SUPPORT_CONTACTS", default={})
if not isinstance(PARTNER_SUPPORT_CONTACTS, dict) or not all(
    isinstance(value, str) for value in PARTNER_SUPPORT_CONTACTS.values()
):
    raise ImproperlyConfigured('PARTNER_SUPPORT_CONTACTS must be a JSON object: {"partner code": "contact text"}.')

# --- Partner simulator (offline demo and tests) ---
PARTNER_SIMULATOR_ENABLED = env.bool("PARTNER_SIMULATOR_ENABLED", default=DEBUG)
if PARTNER_SIMULATOR_ENABLED:
    INSTALLED_APPS.append("partner_simulator")  # run_partner_simulator, seed_demo
PARTNER_SIMULATOR_URL = env.str("PARTNER_SIMULATOR_URL", default="http://127.0.0.1:8100")

# --- Clinic defaults for the vaccination flow ---
CLINIC_CITIES = env.list("CLINIC_CITIES", default=["Riyadh", "Jeddah", "Dammam"])
CLINIC_DEFAULT_CITY = env.str("CLINIC_DEFAULT_CITY", default="Riyadh")
CLINIC_DEFAULT_LAT = env.float("CLINIC_DEFAULT_LAT", default=24.7136)
CLINIC_DEFAULT_LNG = env.float("CLINIC_DEFAULT_LNG", default=46.6753)
# City centres sent to Sanar when staff give no coordinates (the default city: the clinic's).
CLINIC_CITY_COORDINATES = {
    "Riyadh": (24.7136, 46.6753),
    "Jeddah": (21.4858, 39.1925),
    "Dammam": (26.4207, 50.0888),
    CLINIC_DEFAULT_CITY: (CLINIC_DEFAULT_LAT, CLINIC_DEFAULT_LNG),
}
BOOKING_HORIZON_DAYS = env.int("BOOKING_HORIZON_DAYS", default=30)
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="SA")
# Countries whose mobiles staff may type without the country code (the partners' patients'):
# a local number is read in the default region first, then in these.
PHONE_LOCAL_REGIONS = env.list("PHONE_LOCAL_REGIONS", default=["SA", "MX"])
# The clinic as the patient's printed slip names it. CLINIC_LOGO: a path under static/ or an https:// URL.
CLINIC_NAME = env.str("CLINIC_NAME", default="Partner booking portal")
CLINIC_ADDRESS = env.str("CLINIC_ADDRESS", default="")
CLINIC_PHONE = env.str("CLINIC_PHONE", default="")
CLINIC_LOGO = env.str("CLINIC_LOGO", default="portal/clinic-logo.svg")

# --- Email to patients: SMTP from the environment. A provider's API through django-anymail
# is a matter of EMAIL_BACKEND and its keys (docs/messaging.md). make run points EMAIL_PORT at
# the local sink bin/run-dev starts.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Appointment reminders, minutes before the appointment (24 h and 1 h), looked for by beat.
MESSAGE_REMINDER_LEAD_MINUTES = env.list("MESSAGE_REMINDER_LEAD_MINUTES", cast=int, default=[24 * 60, 60])
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="bookings@localhost")

# --- SMS and WhatsApp to patients (docs/messaging.md): a backend per channel, "" = not set up.
# messaging.backends.unifonic.SmsBackend / .WhatsAppBackend send through Unifonic's REST APIs;
# make run points them at the partner simulator. Keys come from here only and are never logged.
SMS_BACKEND = env.str("SMS_BACKEND", default="")
WHATSAPP_BACKEND = env.str("WHATSAPP_BACKEND", default="")
UNIFONIC_SMS_URL = env.str("UNIFONIC_SMS_URL", default="https://el.cloud.unifonic.com")
UNIFONIC_APP_SID = env.str("UNIFONIC_APP_SID", default="")
UNIFONIC_SENDER_ID = env.str("UNIFONIC_SENDER_ID", default="")
UNIFONIC_WHATSAPP_URL = env.str("UNIFONIC_WHATSAPP_URL", default="https://apis.unifonic.com")
UNIFONIC_PUBLIC_ID = env.str("UNIFONIC_PUBLIC_ID", default="")
UNIFONIC_SECRET = env.str("UNIFONIC_SECRET", default="")
# The name of the WhatsApp template Meta approved for the booking link (its body takes the clinic,
# the reference, the appointment and the link); empty: a text message, delivered only in a session.
UNIFONIC_WHATSAPP_TEMPLATE = env.str("UNIFONIC_WHATSAPP_TEMPLATE", default="")
# The secret the provider's delivery-receipt webhook URL carries (?token=…); "" turns receipts off.
MESSAGE_RECEIPT_TOKEN = env.str("MESSAGE_RECEIPT_TOKEN", default="")
# A message queued (or sending) this long is looked at by the sweeper: longer than any retry
# backoff (PARTNER_RETRY_BACKOFF_MAX_SECONDS) and any task's time limit.
MESSAGE_STUCK_AFTER_SECONDS = env.int("MESSAGE_STUCK_AFTER_SECONDS", default=15 * 60)

# --- Metrics (/metrics, Prometheus): a bearer token, or a scraper on an allowed network ---
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
# The worker serves its own metrics on this port when set (its tasks and partner calls).
CELERY_METRICS_PORT = env.int("CELERY_METRICS_PORT", default=0)

# --- Errors to Sentry, redacted as the logs (monitoring/sentry.py); off without a DSN ---
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from monitoring import sentry

    sentry.init(SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default=PARTNER_ENVIRONMENT))

# --- Logging: one JSON object per line in production, readable lines in development ---
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "config.request_id.RequestIdFilter"},
        "client_error_without_traceback": {"()": "config.log_filters.ClientErrorWithoutTraceback"},
        "quiet_access_log": {"()": "config.log_filters.QuietAccessLog"},
        "mask_query_secrets": {"()": "config.log_filters.MaskQuerySecrets"},
        "quiet_periodic_tasks": {"()": "config.log_filters.QuietPeriodicTasks"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Every line through the one console handler above, with the request id: no second
        # copy from Django's own DEBUG console handler, runserver's access log included.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.request": {"filters": ["client_error_without_traceback"]},
        "django.server": {
            "handlers": [],
            "level": LOG_LEVEL,
            "propagate": True,
            "filters": ["quiet_access_log", "mask_query_secrets"],
        },
        **{
            name: {"filters": ["quiet_periodic_tasks"]}
            for name in ("celery.beat", "celery.worker.strategy", "celery.app.trace")
        },
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
