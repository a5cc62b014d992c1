# Two commands for a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PY ?= python3.11
UV := $(PY) -m uv
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
ADDR ?= 127.0.0.1:8000
# Seconds `make run` gives the worker to stop after Ctrl-C before killing it.
STOP_GRACE ?= 3
CHROMIUM := /usr/bin/chromium

.PHONY: run test install system-deps lock lint format bench clean

## install: the virtual environment, exactly as locked (fast no-op when up to date)
install: $(STAMP)

$(STAMP): requirements.lock
	@$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet uv
	@test -x $(BIN)/python || $(UV) venv --quiet --python $(PY) $(VENV)
	$(UV) pip sync --quiet --python $(BIN)/python requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

## system-deps: Debian's chromium (browser tests) and nginx (config check), when missing
system-deps:
	@if [ ! -x $(CHROMIUM) ] || ! command -v nginx >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium and nginx-light…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nginx-light >/dev/null; \
	  else \
	    echo "chromium or nginx is missing and cannot be installed here (need root and apt-get)."; \
	  fi; \
	fi

## run: migrate, seed the demo workspace and the catalog, start web + worker (Ctrl-C stops both)
run: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_catalog
	@echo "Web on http://$(ADDR)/ and a django-q2 worker. Ctrl-C stops both."
	@STOP_GRACE=$(STOP_GRACE) PYTHON=$(BIN)/python deploy/dev-run.sh $(ADDR)

## test: the whole suite (DATABASE_URL picks PostgreSQL; SQLite otherwise)
test: install system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## lock: re-resolve pyproject.toml into the hash-pinned requirements.lock
lock:
	$(UV) pip compile pyproject.toml --group dev --override overrides.txt \
	  --generate-hashes --python-version 3.11 --quiet -o requirements.lock

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf var test-output
