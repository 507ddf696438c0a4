# Beacon: every task has one target. `make run` and `make test` set everything up first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := beacon.settings

.PHONY: run serve test setup deps lint format bench browser clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The NHS.UK stylesheet without its web font (beacon/core/static_src/nhsuk-frontend.scss).
var/static/nhsuk-frontend.min.css: node_modules/.installed beacon/core/static_src/nhsuk-frontend.scss
	mkdir -p var/static
	node_modules/.bin/sass --load-path=node_modules --no-source-map --style=compressed \
	  --quiet-deps beacon/core/static_src/nhsuk-frontend.scss $@

deps: $(VENV)/.installed node_modules/.installed var/static/nhsuk-frontend.min.css

setup: deps
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty

# The django-tasks worker (alert emails…) runs beside the web server and stops with it.
run: setup
	$(PY) manage.py demo_logins --port $(PORT)
	$(PY) manage.py db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production start (README "Production"; needs DEBUG=false, SECRET_KEY, ALLOWED_HOSTS,
# DATABASE_URL): collectstatic, migrate, then gunicorn and the worker, stopping together.
serve: deps
	VENV=$(VENV) PORT=$(PORT) scripts/serve

# Browser tests drive Debian's Chromium; install it if this machine lacks it.
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/lint_model_usage_in_views.py
	$(PY) scripts/lint_layout.py
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

format: deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: deps browser lint
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# Delivery-round planning: a synthetic day (2 s and 60 s) and the Solomon set (10 s each).
bench: deps
	$(PY) bench/routing.py

clean:
	rm -rf $(VENV) node_modules var staticfiles
