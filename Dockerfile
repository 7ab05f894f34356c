FROM python:3.12-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PORTAL_VAR_DIR=/app/var

WORKDIR /app
RUN useradd --create-home --uid 1000 portal

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings that load; these build-time values are never used at run time.
RUN SECRET_KEY=build-only FIELD_ENCRYPTION_KEYS=wSnuEp-NFBMYVxLa5NF3iygDOoMgFUuSdGQ8kUHUzE4= \
    DATABASE_URL=postgres://build@localhost/build CELERY_BROKER_URL=redis://localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R portal:portal /app/var

USER portal
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
