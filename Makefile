# The forum's tasks. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium
# pytest processes per suite: more than the cores, since many tests wait (on gunicorn,
# chromium, PostgreSQL) rather than compute.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

.DEFAULT_GOAL := help
.PHONY: help install upgrade demo run reset serve test test-sqlite test-postgres lint format browser bench bench-scale bench-hostile train-encoder encoder-thresholds

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed ## Create .venv and install the project with its dev tools

upgrade: install ## Bring the database up to the latest migration
	$(FLASK) db upgrade

demo: upgrade ## Load the demo content (once; does nothing if already there)
	$(FLASK) forum demo

run: demo ## Set up everything and serve the forum on http://127.0.0.1:5000
	FORUM_INLINE_WORKER=true $(FLASK) run --host $(HOST) --port $(PORT)

reset: ## Delete the local SQLite database, its page cache and mailed files; the next make run starts afresh
	rm -f instance/forum.db instance/forum.db-wal instance/forum.db-shm
	rm -rf instance/mail instance/cache

serve: upgrade ## Serve with gunicorn as in production (gunicorn.conf.py; FORUM_BIND to change)
	$(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

lint: install ## Ruff lint and format check, mypy (strict on the pure modules)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

browser: ## Make sure Debian's chromium is there for the browser tests
	@test -x $(CHROMIUM) || { echo "Installing chromium for the browser tests"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq chromium >/dev/null; }

test-sqlite: install browser ## The whole suite on SQLite
	$(VENV)/bin/pytest -q -n $(PYTEST_WORKERS)

test-postgres: install browser ## The whole suite on PostgreSQL (must be ready: tests/pg_ready.py says what is missing)
	@$(PY) tests/pg_ready.py '$(PG_TEST_URL)'
	FORUM_TEST_DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -q -n $(PYTEST_WORKERS)

# tests/pg_ready.py runs first, so a PostgreSQL that is missing, asks for a password, or lacks
# the role or the database is named (with the command that fixes it) before the long runs.
# With four cores or more, lint and the SQLite and PostgreSQL suites run at once: many tests
# wait (on gunicorn, chromium, PostgreSQL), so one suite alone left cores idle. With fewer,
# the PostgreSQL suite follows the SQLite one: on two cores the two took 3 min 48 s and
# 3 min 5 s one after the other, 8 min 10 s at once (six pytest processes and their servers
# on two cores; a CI run at once took 15 min). Each report (a suite's ten slowest tests
# included) prints when it ends.
SUITES_AT_ONCE ?= $(shell [ $$(nproc) -ge 4 ] && echo yes)
test: install ## Lint, and the whole suite on SQLite and on PostgreSQL (required in CI)
	@if $(PY) tests/pg_ready.py '$(PG_TEST_URL)'; then \
	  if [ -n "$(SUITES_AT_ONCE)" ]; then \
	    echo "Running lint and the SQLite and PostgreSQL suites at once; each reports when it ends"; \
	    $(MAKE) --no-print-directory -j3 --output-sync=target lint test-sqlite test-postgres; \
	  else \
	    echo "Running lint and the SQLite suite, then the PostgreSQL suite"; \
	    $(MAKE) --no-print-directory -j2 --output-sync=target lint test-sqlite && \
	    $(MAKE) --no-print-directory test-postgres; \
	  fi; \
	elif [ -n "$$CI" ]; then echo "CI: PostgreSQL must be ready at $(PG_TEST_URL)"; exit 1; \
	else $(MAKE) --no-print-directory lint test-sqlite && \
	  echo "Skipped the PostgreSQL run: fix what is said above, then run make test-postgres (CI requires it)"; fi

# wrk drives the page loads (bench/loadgen.py does when wrk can't be had); pyinstrument
# profiles any page that misses its target.
define bench_tools
	@command -v wrk >/dev/null || { echo "Installing wrk for the benchmarks"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq wrk >/dev/null \
	  || echo "wrk unavailable: bench/loadgen.py will measure every case"; }
	@$(PY) -c "import pyinstrument" 2>/dev/null || $(PY) -m pip install -q pyinstrument
endef

bench: install ## Seed SQLite + PostgreSQL, load pages under gunicorn (BENCH_DB, BENCH_SCALE; bench/README.md)
	$(bench_tools)
	$(PY) bench/run.py

train-encoder: install ## Fine-tune the moderation encoder (PyTorch CPU; about an hour on two cores) and write forum/moderation/model/
	$(PY) -m pip install -q -e '.[dev,train]'
	$(PY) scripts/train_moderation_encoder.py --oof-out forum/moderation/model/readings.jsonl

encoder-thresholds: install ## Choose the encoder's thresholds again from its stored readings (minutes; after a rule or scorer change)
	$(PY) -m pip install -q -e '.[dev,train]'
	$(PY) scripts/train_moderation_encoder.py --readings forum/moderation/model/readings.jsonl --thresholds-only

bench-hostile: install ## Worst request time over pathological inputs vs a plain page (target 20x)
	$(PY) bench/hostile.py

bench-scale: install ## p50 of home, tag and thread pages at 20k, 200k and 2M comments
	$(bench_tools)
	$(PY) bench/run.py scale
