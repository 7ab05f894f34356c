# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz venv lint typecheck format check bench clean messages check-messages

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

## Run the portal with demo data against the partner simulator on http://127.0.0.1:8000
run: $(STAMP)
	DEBUG=$${DEBUG:-true} bash bin/run-dev

## Run the whole test suite (on the embedded PostgreSQL/Redis unless DATABASE_URL/CELERY_BROKER_URL are set)
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The property tests' random search, 25 times longer (not in CI, which replays fixed examples)
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m hypothesis -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy only imports the settings: placeholders keep it from starting the embedded PostgreSQL and Redis
typecheck: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://localhost/unused} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-memory://} $(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	$(BIN)/python bench/run.py

## Update the catalogues from the code (then translate the new entries) and compile them
messages: $(STAMP)
	bin/makemessages
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/python manage.py compilemessages --ignore '.venv/*' --ignore 'var/*'

## Fail on an untranslated or fuzzy entry, a string makemessages would add, or a stale .mo (CI runs it)
check-messages: $(STAMP)
	bin/check-catalogues

clean:
	-$(BIN)/python -m config.embedded stop var/test; $(BIN)/python -m config.embedded stop var
	rm -rf var/ .pytest_cache
