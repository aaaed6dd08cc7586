# conflictmap: `make run` serves the Syria demo, `make test` runs the whole suite.
# Both start with scripts/setup.sh, which installs what is missing and is quick when nothing is.

PY := .venv/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup setup-browser prepare web worker lint format check

run: setup prepare  ## set up, migrate, load the demo, build layers, serve web + worker
	PORT=$(PORT) scripts/run.sh

test: setup-browser  ## the whole suite: lint, types, unit, API, pipeline and browser tests
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || (echo "Models changed without a migration: run manage.py makemigrations" && exit 1)
	$(PY) -m pytest

setup:
	scripts/setup.sh

setup-browser:
	scripts/setup.sh --browser

prepare:  ## database schema, demo data and layers (each step skips what is done)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_admin
	$(PY) manage.py rebuild_layers
	$(PY) manage.py collectstatic --no-input -v 0

web:  ## the web server alone, on all interfaces (containers)
	HOST=0.0.0.0 PORT=$(PORT) scripts/run.sh web

worker:  ## the Celery worker alone
	scripts/run.sh worker

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
