# Keqiao: the two commands of the README (`make run`, `make test`) and the rest of the chores.
# Nothing is needed beforehand but Python 3.11: PostgreSQL comes embedded from PyPI
# (marketplace/database.py) unless DATABASE_URL names a server.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Runs a command with the database up; stops the embedded server afterwards if it started it.
WITH_DB := $(PY) -m marketplace.database run --
# `make run` serves as production does (no debug pages, static files by whitenoise,
# gunicorn) on one machine: plain-HTTP cookies and emails printed in the terminal.
RUN_ENV := DJANGO_SECURE_COOKIES=false DJANGO_PRODUCTION=false \
	DJANGO_EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
GUNICORN_ARGS ?= --config python:marketplace.gunicorn --workers 2 --threads 4 --timeout 120 --access-logfile - --graceful-timeout 10
# The tests use the embedded server unless TEST_DATABASE_URL names another (never DATABASE_URL).
# DJANGO_PRODUCTION=false: no SSL redirect or HSTS on the tests' plain-HTTP live server.
TEST_ENV := env -u DATABASE_URL DJANGO_PRODUCTION=false $(if $(TEST_DATABASE_URL),DATABASE_URL=$(TEST_DATABASE_URL) \
	DJANGO_SECRET_KEY=tests-only-not-a-secret-key-0123456789abcdefghijklmnopqrstuvwxyz)
# The benchmarks and evaluations use databases of their own on the same server, so the demo
# data stays untouched.
BENCH_DB ?= keqiao_bench
EVAL_DB ?= keqiao_evaluation

.PHONY: run dev serve test install install-dev system-packages messages \
	compilemessages collectstatic migrate seed worker beat lint format ci migrations-check \
	db-start db-stop bench-data bench-search bench-matching bench-notify bench-import evaluate-matching \
	evaluate-search

$(VENV)/.installed: requirements.txt requirements-nodeps.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -r requirements-nodeps.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian's Chromium for the browser tests and gettext for `make messages`: installed when
# missing and this is root with apt-get; otherwise one line says what to install.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "make test needs the Debian packages:$$missing (sudo apt-get install$$missing)" >&2; \
	    exit 1; \
	  fi; \
	fi

# Compiled translations are build products, not sources; compiled in Python (polib), so
# `make run` needs no gettext.
compilemessages: install
	@$(PY) -c "import pathlib, polib; \
	[polib.pofile(str(p)).save_as_mofile(str(p.with_suffix('.mo'))) \
	 for p in pathlib.Path('locale').glob('*/LC_MESSAGES/*.po')]"

# Regenerate the .po catalogues from the source (then translate zh_Hans by hand).
messages: install system-packages
	$(WITH_DB) $(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
	# English is the source language: its catalogue is rebuilt and repeats each message.
	rm -f locale/en/LC_MESSAGES/django.po
	$(WITH_DB) $(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench
	msgen --no-wrap -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po

collectstatic: install
	$(PY) manage.py collectstatic --noinput -v0

migrate: install
	$(WITH_DB) $(PY) manage.py migrate --noinput -v0

# Demo data on the first run only: both commands do nothing once their data is there.
seed: install
	$(WITH_DB) sh -c '$(PY) manage.py migrate --noinput -v0 && $(PY) manage.py seed_demo && $(PY) manage.py seed_demo_deals'

# The site as production serves it, on the embedded database (or DATABASE_URL).
run: install compilemessages
	$(RUN_ENV) $(WITH_DB) $(MAKE) --no-print-directory serve

serve:
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_deals
	@echo "Keqiao is served on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	exec $(VENV)/bin/gunicorn marketplace.wsgi --bind $(HOST):$(PORT) $(GUNICORN_ARGS)

# For developers: Django's autoreloading server with debug pages.
dev: install compilemessages
	DJANGO_DEBUG=true DJANGO_PRODUCTION=false $(WITH_DB) sh -c '$(PY) manage.py migrate --noinput -v0 && $(PY) manage.py seed_demo && $(PY) manage.py seed_demo_deals && exec $(PY) manage.py runserver $(HOST):$(PORT)'

test: install-dev system-packages compilemessages
	$(TEST_ENV) $(WITH_DB) $(VENV)/bin/pytest $(PYTEST_ARGS)

db-start: install
	$(PY) -m marketplace.database start

db-stop: install
	$(PY) -m marketplace.database stop

worker: install compilemessages
	$(VENV)/bin/celery -A marketplace worker -l info

beat: install
	$(VENV)/bin/celery -A marketplace beat -l info

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(WITH_DB) $(PY) manage.py makemigrations --check --dry-run

ci: test lint migrations-check

# --- Measurements: each prints its figures, the last line a summary (bench/README.md) ---------

# 100k achievements + 20k challenges, made once in their own database; later calls migrate it.
bench-data: install
	$(WITH_DB) sh -c '$(PY) -m marketplace.database createdb $(BENCH_DB) && \
	DATABASE_NAME=$(BENCH_DB) $(PY) manage.py migrate --noinput -v0 && \
	DATABASE_NAME=$(BENCH_DB) $(PY) manage.py bench_data --achievements 100000 --challenges 20000 --once'

bench-search: bench-data
	$(WITH_DB) env DATABASE_NAME=$(BENCH_DB) $(PY) bench/search.py $(ARGS)

bench-matching: bench-data
	$(WITH_DB) env DATABASE_NAME=$(BENCH_DB) $(PY) bench/matching.py $(ARGS)

bench-notify: install
	$(WITH_DB) sh -c '$(PY) -m marketplace.database createdb keqiao_bench_notify && \
	DATABASE_NAME=keqiao_bench_notify $(PY) manage.py migrate --noinput -v0 && \
	DATABASE_NAME=keqiao_bench_notify $(PY) bench/notify.py $(ARGS)'

bench-import: install
	$(WITH_DB) sh -c '$(PY) -m marketplace.database createdb keqiao_bench_import && \
	DATABASE_NAME=keqiao_bench_import $(PY) manage.py migrate --noinput -v0 && \
	DATABASE_NAME=keqiao_bench_import $(PY) bench/imports.py $(ARGS)'

# make evaluate-matching SET=../shared/matching/dev-zh.json [ARGS=--baseline]
# make evaluate-search SET=../shared/matching/dev-zh.json [ARGS=--lexical]
# Embeddings of the sets' texts are kept in .cache/embeddings between runs.
evaluate-matching evaluate-search: install
	@test -n "$(SET)" || { echo "usage: make $@ SET=path/to/set.json" >&2; exit 2; }
	$(WITH_DB) sh -c '$(PY) -m marketplace.database createdb $(EVAL_DB) && \
	DATABASE_NAME=$(EVAL_DB) $(PY) manage.py migrate --noinput -v0 && \
	DATABASE_NAME=$(EVAL_DB) EMBEDDING_CACHE_DIR=.cache/embeddings \
	$(PY) manage.py $(subst -,_,$@) $(SET) $(ARGS)'

# --- Observability and broker outages (issue 12 items 6, 7) ---
.PHONY: bench-broker-outage
bench-broker-outage: install
	$(WITH_DB) sh -c '$(PY) -m marketplace.database createdb keqiao_bench_outage && \
	DATABASE_NAME=keqiao_bench_outage $(PY) manage.py migrate --noinput -v0 && \
	DATABASE_NAME=keqiao_bench_outage $(PY) bench/broker_outage.py $(ARGS)'

# --- Deployment across machines (docs/deploy.md) ---------------------------------------------
# Proves the topology on this machine: PostgreSQL primary + streaming replica, nginx in front
# of two gunicorn instances, a worker and beat on the local Redis; a journey, kills, a restore.
.PHONY: prove-deploy
prove-deploy: install-dev compilemessages
	bash deploy/prove.sh

# --- Load (bench/load): gunicorn + embedded PostgreSQL + Redis under a locust scenario ------
# On the demo data in a database of its own (bench_data's 100k listings take 20 minutes on
# a busy machine, so the figures in bench/README.md are on the demo data).
BENCH_LOAD_DB ?= keqiao_bench_load
.PHONY: bench-load
bench-load: install-dev compilemessages
	$(WITH_DB) sh -c '$(PY) -m marketplace.database createdb $(BENCH_LOAD_DB) && \
	export DATABASE_NAME=$(BENCH_LOAD_DB) EMBEDDING_MODEL=terms TASKS_IN_BACKGROUND=false && \
	$(PY) manage.py migrate --noinput -v0 && $(PY) manage.py seed_demo && \
	$(PY) manage.py seed_demo_deals && $(PY) bench/load/run.py $(ARGS)'
