# Casebook: `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/casebook
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
PYTEST := $(BIN)/python -m pytest

.PHONY: help install run test test-sqlite test-postgres test-browser prod schema lock clean

help:
	@echo "make run    set up and serve Casebook on http://127.0.0.1:8000 (SQLite, tasks in-process)"
	@echo "make test   set up and run every test leg: SQLite, PostgreSQL + Celery worker + Redis, Chromium"
	@echo "make prod   run the production shape here: gunicorn + Celery worker + encoder + beat on PostgreSQL and Redis"

# Every package at the version and hash its lock file names (make lock writes them).
$(BIN)/.installed: requirements/dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/.built: node_modules/.package-lock.json scripts/vendor.mjs
	npm run --silent build
	touch $@

# The [semantic] extra, for the tests (make run uses it when it is there), with the CPU
# build of torch, which PyPI does not carry: TORCH_SOURCE says where it is (a mirror's
# index, or --find-links to a folder of wheels where there is no internet). torch comes
# first and alone, so that only it is looked for there.
TORCH_SOURCE ?= --extra-index-url https://download.pytorch.org/whl/cpu
$(BIN)/.semantic: $(BIN)/.installed requirements/dev-semantic.lock
	$(BIN)/pip install --quiet --require-hashes --no-deps $(TORCH_SOURCE) -r requirements/torch-cpu.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev-semantic.lock
	touch $@

# The lock files, from pyproject.toml's ranges: the app's (the image's, with and without
# [semantic]) and the developers' (with [test]). Run it after changing a dependency.
LOCK = $(BIN)/uv pip compile pyproject.toml --quiet --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	--generate-hashes --custom-compile-command "make lock" --constraint requirements/torch-cpu.txt $(TORCH_SOURCE)
lock:  # with uv, which make install puts in .venv
	$(LOCK) -o requirements/app.lock
	$(LOCK) --extra semantic -o requirements/app-semantic.lock
	$(LOCK) --extra test -o requirements/dev.lock
	$(LOCK) --extra test --extra semantic -o requirements/dev-semantic.lock
	# torch alone, to fetch from TORCH_SOURCE before the rest (which PyPI serves).
	awk '/^torch==/ {on = 1} on { if (/^    #/ || (/^[a-z]/ && !/^torch==/)) exit; print }' \
		requirements/app-semantic.lock > requirements/torch-cpu.lock

install: $(BIN)/.installed static/vendor/.built
	bash scripts/pango.sh

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
