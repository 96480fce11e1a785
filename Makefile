# DPTI — `make help` lists the targets. Needs Python >= 3.11 (PYTHON=python3.11 to choose one).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
export PYTHON
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# make run serves the local mode (SQLite, DEBUG, demo accounts); production is the settings' default.
LOCAL := DPTI_ENV=local
TEST := DPTI_ENV=test
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint format messages seed-scale bench clean venv-base venv-dev

help: ## List the targets
	@echo "DPTI — make <target>:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

venv-base:
	@scripts/bootstrap_venv.sh requirements/base.txt

venv-dev:
	@scripts/bootstrap_venv.sh requirements/dev.txt

run: venv-base ## Install, migrate SQLite (var/), load the demo data, serve http://127.0.0.1:8000 (PORT=…)
	@mkdir -p var
	@$(BIN)/python scripts/compile_messages.py
	$(LOCAL) $(MANAGE) migrate --noinput
	$(LOCAL) $(MANAGE) load_demo --if-empty
	$(LOCAL) $(MANAGE) runserver 127.0.0.1:$(PORT)

# pytest-xdist on this 2-core machine, measured on the whole suite (903 tests): 73 s in one
# process → 52 s with -n 2 (62 s → 33 s without the browser tests; 101 s → 93 s while other
# jobs loaded the machine). PYTEST_WORKERS=0 runs in one process (easier to debug).
PYTEST_WORKERS ?= 2
# More pytest arguments, e.g. PYTEST_ARGS="-m 'not browser'" (.ci/run on SQLite).
PYTEST_ARGS ?=

CHROMIUM := $(or $(DPTI_CHROMIUM),/usr/bin/chromium)

test: venv-dev ## Install, lint, check migrations, run every test (DATABASE_URL=postgres://… to use PostgreSQL)
	@# Said here because xdist workers turn the browser conftest's own error into an INTERNALERROR.
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$${DPTI_REQUIRE_BROWSER:-}" = 1 ]; then \
	    echo "DPTI_REQUIRE_BROWSER=1 but $(CHROMIUM) is missing: apt-get install -y chromium"; exit 1; \
	  fi; \
	  echo "NOTE: $(CHROMIUM) is missing, the browser tests will be skipped (apt-get install -y chromium)"; \
	fi
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	@mkdir -p var
	$(TEST) $(MANAGE) makemigrations --check --dry-run
	$(TEST) $(MANAGE) check
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: venv-dev ## Ruff checks, format check and the import layers, without the tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: venv-dev ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: venv-dev ## Update the French catalogue from the English source strings and compile it (GNU gettext)
	@command -v xgettext >/dev/null || { echo "make messages needs GNU gettext: apt-get install -y gettext"; exit 1; }
	$(TEST) $(MANAGE) makemessages -l fr --no-location --ignore=.venv --ignore=tests --ignore=scripts --ignore=staticfiles --ignore=var
	$(TEST) $(MANAGE) compilemessages -l fr --ignore=.venv

BENCH_NAME ?= dpti_bench
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/$(BENCH_NAME)
SIZE ?= small

seed-scale: venv-dev ## Fresh PostgreSQL bench database filled at SIZE=tiny|small|medium|large
	psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $(BENCH_NAME)" -c "CREATE DATABASE $(BENCH_NAME)" \
	  -c "ALTER DATABASE $(BENCH_NAME) SET random_page_cost = 1.1"  # as the deployment guide says (SSD)
	DATABASE_URL=$(BENCH_DB) $(TEST) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=$(BENCH_DB) $(TEST) $(MANAGE) seed_scale --size $(SIZE)

bench: venv-dev ## Measure pages, API, search, export and import on the bench database (after seed-scale)
	DATABASE_URL=$(BENCH_DB) $(TEST) $(MANAGE) bench --runs 20

clean: ## Remove the virtualenv, the local database (var/), collected static files and caches
	rm -rf $(VENV) var staticfiles .ruff_cache test-results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
