# Kretsportalen. `make run` serves the demo on http://127.0.0.1:8000 (PORT=… moves it);
# `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
B ?=

.PHONY: run test bench install install-dev lint format messages clean worker beat system-packages

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(PY)
	$(PIP) install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(PY)
	$(PIP) install --quiet -r requirements-dev.lock
	touch $@ $(VENV)/.installed

# axe-core for the browser tests' accessibility check (tests/test_browser_every_page.py).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The embedded defaults: SQLite, mail to the console, the demo loaded; the web server, a Celery
# worker and one beat on an embedded broker (a SQLite file), all stopped by one Ctrl-C.
# Links in mail point at http://$(HOST):$(PORT) unless SITE_URL says otherwise.
run: export DEMO_MODE ?= 1
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py serve $(HOST):$(PORT)

# The Debian packages the tests need (scripts/system-packages.txt, shared with .ci/run):
# installed when root with apt, else one line saying what to install.
system-packages:
	@bash scripts/ensure-system-packages.sh

# Lint, format check and the whole suite; on PostgreSQL and Redis when DATABASE_URL and
# REDIS_URL are set, else SQLite.
test: system-packages install-dev node_modules/.package-lock.json
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks in bench/: `make bench` runs all, `make bench B=name` one; BENCH_SCALE scales data.
bench: install-dev
	$(PY) bench/run.py $(B)

worker: install
	$(VENV)/bin/celery -A krets worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A krets beat --loglevel=INFO

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	$(PY) manage.py makemessages -l sv --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
