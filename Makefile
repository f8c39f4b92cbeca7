# Sankoré — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on every core (pytest-xdist), a file's tests kept together on one process.
PYTEST_ARGS ?= -n auto --dist loadfile

.PHONY: run test install install-dev messages translations migrate demo serve lint typecheck check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements.lock requirements-dev.lock $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements.lock -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

# Refresh the English catalog after changing user-facing text (French msgids).
translations: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=e2e \
		--ignore=bench --ignore='*/tests/*' --add-location=file

migrate: install
	$(BIN)/python manage.py migrate --no-input --verbosity 0

# The demo data is loaded once; delete var/demo-loaded to load it again (seed_demo is idempotent).
var/demo-loaded: | migrate
	$(BIN)/python manage.py seed_demo
	touch $@

demo: migrate var/demo-loaded

serve:
	@echo "Sankoré: http://$(HOST):$(PORT)/  (task worker running beside it; Ctrl+C stops both)"
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

run: install messages migrate demo serve

test: install-dev messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy sankore

check: install-dev
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

clean:
	rm -rf $(VENV) var
