# make run   — set up and serve the demo on SQLite at http://127.0.0.1:$(PORT)/
# make test  — set up and run the whole suite (SQLite; PostgreSQL when DATABASE_URL is set)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Pip options, e.g. PIP_OPTS="--no-index --find-links=wheelhouse" for an offline install.
PIP_OPTS ?=

.PHONY: run test lint format migrations-check deploy-check messages install bench

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
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# What production settings report: must be nothing.
deploy-check: install
	DEBUG=0 SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
	  ALLOWED_HOSTS=cadreprog.example.org \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# Regenerate the translation catalogues (needs GNU gettext) and compile them.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages --locale zh_Hans --locale en --ignore "$(VENV)/*" --no-obsolete
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore "$(VENV)/*"

# Performance figures into docs/benchmarks.md (SQLite and the PostgreSQL of BENCH_POSTGRES_URL).
bench: install
	$(BIN)/python bench/roster_import.py
