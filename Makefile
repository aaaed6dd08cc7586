# conflictmap: `make run` serves the Syria demo, `make test` runs the whole suite.
# Both start with scripts/setup.sh, which installs what is missing and is quick when nothing is.

PY := .venv/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup setup-browser prepare migrate messages demo web proxy worker beat lint format stop-services bench bench-quick setup-bench

run: setup prepare  ## set up, migrate, load the demo, build layers, serve: nginx, gunicorn, worker, beat
	PORT=$(PORT) scripts/run.sh

test: setup-browser  ## the whole suite: lint, types, unit, API, pipeline and browser tests
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	.venv/bin/lint-imports --no-cache --no-logo  # the import contracts in pyproject.toml
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || (echo "Models changed without a migration: run manage.py makemigrations" && exit 1)
	$(MAKE) --no-print-directory messages
	$(PY) -m pytest

setup:
	scripts/setup.sh

setup-browser:
	scripts/setup.sh --browser

prepare: migrate demo  ## database schema, static files, demo data and layers (each step skips what is done)

migrate: messages  ## database schema, static files and translations: what every deployment runs before serving
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v 0

messages:  ## the Arabic translations (conflictmap/locale/*/*.po) compiled for gettext
	$(PY) manage.py compilemessages --ignore=.venv -v 0

demo:  ## the Syria demo, its three accounts (each with its own password, printed once) and its layers
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_admin
	$(PY) manage.py rebuild_layers

web:  ## the web server alone, on all interfaces (containers)
	HOST=0.0.0.0 PORT=$(PORT) scripts/run.sh web

worker:  ## the Celery worker alone
	scripts/run.sh worker

proxy:  ## nginx alone, in front of UPSTREAM (containers; make run starts it itself)
	HOST=0.0.0.0 PORT=$(PORT) scripts/run.sh proxy

beat:  ## Celery beat alone: the sweep of lagging layers (run exactly one per site)
	scripts/run.sh beat

bench: setup-bench  ## the benchmark suite at full scale (8-year war, 500k events; long)
	$(PY) -m bench.run

bench-quick: setup-bench  ## a one-year war, under 3 minutes; writes bench/results/quick.json
	$(PY) -m bench.run --quick

setup-bench:
	scripts/setup.sh --bench

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy && .venv/bin/lint-imports --no-cache --no-logo

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

stop-services:  ## stop the PostgreSQL and Redis that set-up started under .local/, if it did
	@if [ -f .local/postgres.env ]; then . ./.local/postgres.env; \
	  if [ "$$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$$PG_CTL" -D "$$PGDATA" stop); \
	  else "$$PG_CTL" -D "$$PGDATA" stop; fi; rm .local/postgres.env; fi
	@if [ -d .local/redis ]; then redis-cli -h 127.0.0.1 -p 6379 shutdown nosave || true; rm -r .local/redis; fi
