# satupintu — one command set for developers and CI.
#   make run    set up everything (venv, packages, database, demo data) and start the server
#   make test   run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
#   make lint   ruff, ruff format --check, mypy, import contracts
#   make serve  the production profile on DATABASE_URL (PostgreSQL): gunicorn, worker, scheduler

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint venv migrate demo bench browser-deps messages clean
.PHONY: serve

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "satupintu needs Python 3.12+ (found %s)" % sys.version.split()[0]'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

venv: $(BIN)/.installed

migrate: venv
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo

# The web server, the task worker (notices, retries) and exactly one scheduler, stopped together.
# SATUPINTU_PUBLIC_URL (QR codes, receipts, SMS and survey links) follows HOST/PORT unless it is set.
run: export SATUPINTU_PUBLIC_URL := $(or $(SATUPINTU_PUBLIC_URL),http://$(HOST):$(PORT))
run: demo
	@echo "satupintu: http://$(HOST):$(PORT)/  (worker and scheduler run alongside; Ctrl-C stops all)"
	@echo "public address in QR codes and links: $$SATUPINTU_PUBLIC_URL"
	@echo "demo passwords lost? DJANGO_DEBUG=1 $(PY) manage.py seed_demo --reset-passwords"
	@export DJANGO_DEBUG=1 DATABASE_CONN_MAX_AGE=600; \
	$(PY) manage.py worker --no-reload & worker=$$!; \
	$(PY) manage.py scheduler --no-heartbeat & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production profile (docs/deploy.md): DEBUG off, static files collected, migrations, the
# shared cache, then gunicorn on $(HOST):$(PORT) with the worker and the scheduler, stopped together.
serve: venv
	HOST=$(HOST) PORT=$(PORT) PY=$(PY) deploy/serve.sh

test: venv
	SATUPINTU_TESTING=1 $(BIN)/pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SATUPINTU_TESTING=1 $(BIN)/mypy satupintu config
	$(BIN)/lint-imports --no-cache

bench: venv
	$(PY) bench/lifecycle.py $(BENCH_ARGS)
	$(PY) bench/notices.py $(BENCH_ARGS)
	$(PY) bench/documents.py
	$(PY) bench/surveys.py

# The English catalogue (Indonesian is the source language): extract, then translate, then compile.
messages: venv
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore='*/tests/*' --ignore=bench --no-obsolete
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l en --ignore=.venv --ignore=var

# Browser tests drive Debian's chromium (never a downloaded browser).
browser-deps:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Scale benchmarks (docs/scale.md): a realistic data set of N applications in 20 offices on a
# dedicated PostgreSQL database (dropped and recreated), then page/API latencies against it.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/satupintu_scale
N ?= 10000
.PHONY: bench-data bench-latency loadtest bench-steprate
bench-data: venv
	nice -n 10 $(PY) bench/data.py --n $(N) --database-url $(BENCH_DATABASE_URL)

bench-latency: venv
	nice -n 10 $(PY) bench/latency.py --database-url $(BENCH_DATABASE_URL) $(BENCH_ARGS)

# The load test (docs/scale.md): the production profile (deploy/serve.sh) on a fresh database
# LOADTEST_DATABASE_URL (default satupintu_load, dropped and created), a bounded locust run of
# 200 users for 60 s (70 % public, 20 % officers reading, 10 % completing steps), then the
# integrity check (card entry per step, card_verify, gap-free numbers). LOADTEST_ARGS="--users 50".
loadtest: venv
	$(PY) bench/loadtest.py run $(LOADTEST_ARGS)

# How many SOP steps a second this machine records, from STEPRATE_ARGS="--processes 2 --files 200"
# processes walking files with no think time (docs/scale.md); then the load test's integrity check.
bench-steprate: venv
	$(PY) bench/steprate.py $(STEPRATE_ARGS)
