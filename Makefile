# Casebook: `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/casebook
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
PYTEST := $(BIN)/python -m pytest

.PHONY: help install run test test-sqlite test-postgres test-browser prod schema clean

help:
	@echo "make run    set up and serve Casebook on http://127.0.0.1:8000 (SQLite, tasks in-process)"
	@echo "make test   set up and run every test leg: SQLite, PostgreSQL + Celery worker + Redis, Chromium"
	@echo "make prod   run the production shape here: gunicorn + Celery worker + encoder + beat on PostgreSQL and Redis"

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/.built: node_modules/.package-lock.json scripts/vendor.mjs
	npm run --silent build
	touch $@

# The [semantic] extra, for the tests (make run uses it when it is there). torch first, at
# the CPU build this machine keeps on disk, so that pip does not fetch a CUDA one.
$(BIN)/.semantic: $(BIN)/.installed
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test,semantic]'
	touch $@

install: $(BIN)/.installed static/vendor/.built

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install $(BIN)/.semantic
	bash scripts/services.sh
	bash scripts/chromium.sh
	$(MAKE) --no-print-directory test-sqlite test-postgres test-browser

test-sqlite: install $(BIN)/.semantic
	@echo "== leg a: SQLite (and lint)"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PYTEST) -m "not browser and not postgres and not worker"

test-postgres: install $(BIN)/.semantic
	@echo "== leg b: PostgreSQL, with tasks run by a real Celery worker on Redis"
	bash scripts/services.sh
	DATABASE_URL=$(PG_TEST_URL) REDIS_URL=$(REDIS_TEST_URL) $(PYTEST) -m "not browser"

# Playwright's sync API runs an event loop in the test's thread, which makes Django refuse
# ORM calls from the tests there; they are not async code, so DJANGO_ALLOW_ASYNC_UNSAFE.
test-browser: install $(BIN)/.semantic
	@echo "== leg c: headless Chromium driven by Playwright"
	bash scripts/chromium.sh
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTEST) -m browser

schema: install
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file schema.yml

prod: install
	bash scripts/services.sh
	bash scripts/prod.sh

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles casebook.sqlite3
