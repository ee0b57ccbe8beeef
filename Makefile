# Houqin: `make run` brings everything up; `make test` runs the suite.
# Needs only Python 3.11+ and make. DATABASE_URL / CELERY_BROKER_URL (or REDIS_URL) switch
# from SQLite and the file-system broker under var/ to PostgreSQL and Redis.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint messages check-messages migrate demo install install-dev clean help bench bench-smoke

help:
	@echo "make run       install, migrate, seed the demo on first run, serve http://127.0.0.1:$(PORT) with a Celery worker and beat"
	@echo "make test      run the test suite (honours DATABASE_URL)"
	@echo "make lint      ruff, missing migrations, untranslated strings"
	@echo "make messages  refresh locale/zh_Hans/LC_MESSAGES/django.po and compile it"
	@echo "make bench     measure every page and the daily jobs at scale on PostgreSQL (var/bench/)"
	@echo "make bench-smoke  CI: query counts of every page at two small scales must be equal"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Houqin needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --if-empty

run: demo
	@echo "Houqin on http://127.0.0.1:$(PORT)/ (demo logins: director, facilities, technician, stores, cleaning, security, guard, hr, service; password demo). Ctrl-C stops all."
	$(BIN)/honcho start -f Procfile.dev -p $(PORT)

test: install-dev
	$(BIN)/pytest --create-db $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	@$(MAKE) --no-print-directory check-messages

check-messages:
	@untranslated=$$(msgattrib --untranslated --no-obsolete locale/zh_Hans/LC_MESSAGES/django.po | grep -c '^msgid ' || true); \
	fuzzy=$$(msgattrib --only-fuzzy --no-obsolete locale/zh_Hans/LC_MESSAGES/django.po | grep -c '^msgid ' || true); \
	if [ "$$untranslated" != "0" ] || [ "$$fuzzy" != "0" ]; then \
	  echo "zh_Hans: untranslated or fuzzy strings (run make messages and translate them)"; \
	  msgattrib --untranslated --only-fuzzy --no-obsolete locale/zh_Hans/LC_MESSAGES/django.po | head -40; exit 1; fi; \
	echo "zh_Hans: complete"

messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-obsolete --no-location --ignore ".venv/*" --ignore "var/*" --ignore "tests/*"
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore ".venv/*"

# The bench runs on PostgreSQL (DATABASE_URL, else the local server as postgres); it creates
# its own databases (houqin_bench_<scale>) next to the one named. BENCH_ARGS: e.g.
# "--reuse --pages workorder --requests 10 --no-fail"; see manage.py bench --help.
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/postgres)

bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench $(BENCH_ARGS)

bench-smoke: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py bench --smoke $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
