# SPR Assurance — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_BIN ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# The slowest tests are listed after each run, so a creeping suite shows where it creeps.
PYTEST_ARGS ?= --durations=20
# Local work runs with DEBUG on unless the caller says otherwise; production sets its own env.
export DEBUG ?= true
export DJANGO_SETTINGS_MODULE := spr.settings

.PHONY: help setup run test lint format migrate demo worker bench bench-reports load clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed ## Create .venv and install Python and npm packages

migrate: setup ## Apply migrations and load the SPR editions and forces
	$(MANAGE) migrate --noinput
	$(MANAGE) load_editions
	$(MANAGE) load_forces

demo: migrate ## Load demo accounts and assessments (needs DEBUG on)
	$(MANAGE) seed_demo

run: demo ## Set up, then serve on http://127.0.0.1:8000 with a Celery worker (Ctrl-C stops both)
	@echo "SPR Assurance on http://127.0.0.1:8000/ — sign in as staff-kent / $${SPR_DEMO_PASSWORD:-spr-demo}"
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A spr worker --beat --loglevel=INFO --concurrency=2 \
		--schedule=var/celerybeat-schedule & \
	$(MANAGE) runserver 127.0.0.1:8000 & \
	wait

worker: setup ## Run a Celery worker on its own
	$(VENV)/bin/celery -A spr worker --loglevel=INFO

lint: setup ## ruff check, ruff's format check and the import layers (lint-imports)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: setup ## ruff format and fix imports
	$(VENV)/bin/ruff check --fix --select I .
	$(VENV)/bin/ruff format .

test: setup ## Run lint, the import layers, Django checks, the migrations check and the whole test suite
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The benchmark's own PostgreSQL database (created if missing), so dev data is never touched.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/spr_bench_dashboards

bench: setup ## Benchmarks on national-scale data in PostgreSQL (prints figures; see bench/README.md)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py --create-database
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) migrate --noinput
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) seed_demo --scale national
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py $(BENCH_ARGS)

bench-reports: setup ## PDF report benchmark on the national data of `make bench` (prints figures)
	DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/4} \
		$(PY) bench/reports.py $(BENCH_ARGS)

$(VENV)/.load-installed: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev,load]'
	@touch $@

LOAD_SECONDS ?= 300
LOAD_USERS ?= 300

load: setup $(VENV)/.load-installed ## Load test: gunicorn, PostgreSQL, Redis, Celery under LOAD_USERS people for LOAD_SECONDS (prints figures)
	$(PY) bench/load/run.py --seconds $(LOAD_SECONDS) --users $(LOAD_USERS)

clean: ## Remove the local database, broker files, uploads and built reports
	rm -rf var
