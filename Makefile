# DPTI — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo $(BIN)/uv)
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help run test lint format messages seed-scale bench clean venv-base venv-dev

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	@command -v uv >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet uv

venv-base: $(BIN)/python $(BIN)/uv
	VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet requirements/base.txt

venv-dev: $(BIN)/python $(BIN)/uv
	VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet requirements/dev.txt

run: venv-base ## Install, migrate SQLite, load the demo data, serve http://127.0.0.1:8000
	mkdir -p var
	DPTI_ENV=local $(MANAGE) migrate --noinput
	DPTI_ENV=local $(MANAGE) load_demo --if-empty
	DPTI_ENV=local $(MANAGE) runserver 127.0.0.1:8000

test: venv-dev ## Install, lint, check migrations and run every test (DATABASE_URL to use PostgreSQL)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DPTI_ENV=test $(MANAGE) makemigrations --check --dry-run
	DPTI_ENV=test $(MANAGE) check
	$(BIN)/pytest

lint: venv-dev ## Ruff checks
	$(BIN)/ruff check .

format: venv-dev ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: venv-dev ## Update the French catalogue and compile it (needs GNU gettext)
	DPTI_ENV=test $(MANAGE) makemessages -l fr --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=var --no-location
	DPTI_ENV=test $(MANAGE) compilemessages -l fr --ignore=.venv

BENCH_DB ?= postgres://postgres@127.0.0.1:5432/dpti_bench
SIZE ?= small

seed-scale: venv-dev ## Fresh PostgreSQL bench database filled at SIZE=tiny|small|medium|large
	psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS dpti_bench" -c "CREATE DATABASE dpti_bench"
	DATABASE_URL=$(BENCH_DB) DPTI_ENV=test $(MANAGE) migrate --noinput -v0
	DATABASE_URL=$(BENCH_DB) DPTI_ENV=test $(MANAGE) seed_scale --size $(SIZE)

bench: venv-dev ## Measure pages, API, search, export and import on the bench database
	DATABASE_URL=$(BENCH_DB) DPTI_ENV=test $(MANAGE) bench --runs 20

clean: ## Remove the virtualenv, the local database and caches
	rm -rf $(VENV) var staticfiles .ruff_cache
