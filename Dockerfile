# The portal's image: web (gunicorn, the default command), worker and beat (docker-compose.yml).
# An exact base tag, so a rebuild gets the same Python and Debian; change it on purpose.
FROM python:3.12.8-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORTAL_VAR_DIR=/app/var

WORKDIR /app
RUN useradd --create-home --uid 1000 portal

# The same pinned requirements `make` installs (requirements-dev.txt starts with -r requirements.txt).
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings that load; these build-time values are never used at run time.
RUN SECRET_KEY=build-only FIELD_ENCRYPTION_KEYS=wSnuEp-NFBMYVxLa5NF3iygDOoMgFUuSdGQ8kUHUzE4= \
    DATABASE_URL=postgres://build-only@127.0.0.1:1/build-only CELERY_BROKER_URL=redis://127.0.0.1:1/0 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R portal:portal /app/var

USER portal
EXPOSE 8000
# /healthz answers plain HTTP on any Host (monitoring/middleware.py): the process is alive.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# The access log names the path without its query: a query can hold a search for a patient or the
# receipt webhook's token.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", \
     "--access-logformat", "%(h)s %(l)s %(u)s %(t)s \"%(m)s %(U)s %(H)s\" %(s)s %(b)s \"%(a)s\""]
