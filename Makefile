# make run   — set up and serve the demo on SQLite at http://127.0.0.1:$(PORT)/
# make test  — set up and run the whole suite (SQLite; PostgreSQL when DATABASE_URL is set)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Pip options, e.g. PIP_OPTS="--no-index --find-links=wheelhouse" for an offline install.
PIP_OPTS ?=
# The suite on both cores (pytest-xdist; each worker its own test database). PYTEST_ARGS= runs it
# in one process, e.g. with -x or -k.
PYTEST_ARGS ?= -n 2

.PHONY: run worker test lint format migrations-check deploy-check messages install bench \
	backup restore wheelhouse api-check

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(PIP_OPTS) -r requirements.txt
	touch $@

run: install
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py ensure_demo_admin
	DEBUG=1 $(BIN)/python manage.py ensure_demo_lead
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The background worker with beat (periodic tasks), for deployments with REDIS_URL set; one
# machine runs it with beat, more workers elsewhere: make worker BEAT=
BEAT ?= --beat
worker: install
	test -n "$$REDIS_URL" || { echo "make worker needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)" >&2; exit 2; }
	$(BIN)/celery -A cadreprog worker $(BEAT) --loglevel INFO --schedule var/celerybeat-schedule

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# schemathesis against /api/schema/ on a demo database under gunicorn, as staff and as a lead: no 5xx,
# every answer as the schema says. Bounded: API_CHECK_EXAMPLES a operation, API_CHECK_SECONDS a user.
api-check: install
	.ci/api-check

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# What production settings report: must be nothing.
deploy-check: install
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
	  ALLOWED_HOSTS=cadreprog.example.org SITE_URL=https://cadreprog.example.org \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# A consistent backup of the database (DATABASE_URL) into BACKUP_DIR (default var/backups).
backup: install
	$(BIN)/python manage.py backup

# Put a backup back: make restore FILE=var/backups/cadreprog-….dump (asks before replacing).
restore: install
	test -n "$(FILE)" || { echo "make restore FILE=path/to/backup" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"

# On a machine with internet access, the server's platform and its Python version: every wheel
# the app needs into wheelhouse/ (pip wheel builds any source-only package). Copy the folder to the server, then
# make install PIP_OPTS="--no-index --find-links=wheelhouse".
wheelhouse:
	$(PYTHON) -m pip wheel --disable-pip-version-check -r requirements.txt -w wheelhouse

# Regenerate the translation catalogues (needs GNU gettext) and compile them.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages --locale zh_Hans --locale en --ignore "$(VENV)/*" --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore "$(VENV)/*"

# Performance at archive scale on PostgreSQL into docs/benchmarks.md (BENCH_SCALE=small or full).
bench: install
	$(BIN)/python bench/run.py
