# badgeapp: the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export PORT ?= 8000

.PHONY: run test test-fast test-services bench lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[redis,postgres]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,redis,postgres]'
	touch $@ $(VENV)/.installed

## run: create .venv, install, migrate the database, serve with gunicorn on $(PORT)
run: $(VENV)/.installed
	$(BIN)/badgeapp db upgrade
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

## test-services: Debian's Chromium installed, Redis and PostgreSQL running (scripts/test-services.sh)
test-services:
	bash scripts/test-services.sh

## test: create .venv, install the dev extras, ensure the test services, run the whole test suite
test: $(VENV)/.installed-dev test-services
	$(BIN)/pytest

## test-fast: everything but the slow end-to-end tests
test-fast: $(VENV)/.installed-dev test-services
	$(BIN)/pytest -m "not slow"

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,bench,redis,postgres]'
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed

## bench: speed benchmarks, each printing a table against the peers named in the issues
bench: $(VENV)/.installed-bench
	bash scripts/bench-tools.sh
	$(BIN)/python benchmarks/run.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
