# The two commands a newcomer needs: `make run` serves the app, `make test` passes the tests.
# Both create .venv and install what they need on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 5000

.PHONY: run test lint unit pg-test system-deps postgres bench clean help

help:
	@echo "make run    - set up, initialize the database and serve at http://127.0.0.1:$(PORT)"
	@echo "make test   - set up and run the whole test suite (lint, unit, web, browser, PostgreSQL when reachable)"
	@echo "make bench  - run the benchmarks and print the table"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

system-deps:
	@bash .ci/system-deps

run: $(STAMP)
	$(BIN)/assess init-db
	$(BIN)/assess run --host 127.0.0.1 --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Warnings are errors (pyproject's filterwarnings). With ASSESS_TEST_POSTGRES_URL set (.ci/run
# sets it after starting PostgreSQL) the database tests run a second time on PostgreSQL.
test: $(STAMP) system-deps lint
	$(BIN)/assess validate
	$(BIN)/pytest -q
	@if [ -n "$$ASSESS_TEST_POSTGRES_URL" ]; then \
	  echo "== the database and browser tests again, on PostgreSQL"; \
	  ASSESS_TEST_DATABASE_URL="$$ASSESS_TEST_POSTGRES_URL" $(BIN)/pytest -q tests/web tests/browser; \
	fi

postgres:
	@bash .ci/postgres

bench: $(STAMP) system-deps
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
