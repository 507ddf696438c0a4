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

# Only the files Beacon's pages load from the npm packages, not the packages' whole dist
# folders: collectstatic hashes and compresses every file it finds, and the full folders
# (9,700 files, 123 MB) took 100 s to collect.
var/vendor/.copied: node_modules/.installed
	rm -rf var/vendor
	mkdir -p var/vendor/nhsuk var/vendor/htmx var/vendor/chartjs
	cp -r node_modules/nhsuk-frontend/dist/nhsuk/assets var/vendor/nhsuk/
	cp node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js{,.map} var/vendor/nhsuk/
	cp node_modules/htmx.org/dist/htmx.min.js var/vendor/htmx/
	cp -r node_modules/leaflet/dist var/vendor/leaflet
	cp node_modules/chart.js/dist/chart.umd.min.js{,.map} var/vendor/chartjs/
	touch $@

deps: $(VENV)/.installed node_modules/.installed var/static/nhsuk-frontend.min.css var/vendor/.copied

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

# The suite runs on every core (pytest-xdist): each worker has its own test database, live
# server and Chromium; an idle worker takes tests queued for a busy one (worksteal).
# `make test TEST_WORKERS=0` runs it in this one process.
TEST_WORKERS ?= auto
test: deps browser lint
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist worksteal

# Delivery-round planning: a synthetic day (2 s and 60 s) and the Solomon set (10 s each);
# then reporting at scale (bench/reporting.py) on SQLite, and on PostgreSQL when DATABASE_URL
# names one: KPIs, the NDTMS export, the caseload and client pages. BENCH_SIZES=100,10000
# for a machine that cannot afford 100,000 clients now.
BENCH_SIZES ?= 100,10000,100000
bench: deps
	$(PY) bench/routing.py
	$(PY) bench/reporting.py --sizes $(BENCH_SIZES)

clean:
	rm -rf $(VENV) node_modules var staticfiles
