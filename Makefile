# Cyswllt: the two commands are `make run` and `make test`. Both work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py

.PHONY: run test test-sqlite test-postgres setup translations db demo extract update compile browser servers clean lock lint js-test

## Install everything, create or upgrade the SQLite database, load demo data if empty, serve.
run: setup translations db demo
	$(BIN)/flask run --host 127.0.0.1 --port $${PORT:-5000}

## Install everything (a browser and the scale-out servers included) and run the whole test suite, on every core.
## TEST_CHECKS are the checks that do not depend on the database (.ci/run has them run once, not once per database).
PYTEST_WORKERS ?= auto
TEST_CHECKS ?= lint js-test
## Python's compiled modules are kept (an environment that turns that off, as PYTHONDONTWRITEBYTECODE
## does, has every test process compile some 900 modules afresh: 5 s of CPU for each to collect).
test: export PYTHONDONTWRITEBYTECODE=
test: setup translations browser servers $(TEST_CHECKS)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

## ruff (rules in pyproject.toml) and mypy on app/: zero findings.
lint: setup
	$(BIN)/ruff check app tests benchmarks
	$(BIN)/mypy

## The phone's modules under Node's own test runner (every tests/js/*.test.mjs), with fake-indexeddb.
## Installed again only when the lock file changes (two test runs side by side never install at once).
JS_PACKAGES := tests/js/node_modules/.package-lock.json
js-test: $(JS_PACKAGES)
	cd tests/js && node --test

$(JS_PACKAGES): tests/js/package-lock.json
	cd tests/js && npm ci --silent --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed

## Every package exactly as locked, each checked against its hash; then the app itself. uv installs
## them (pip took 34 s of a fresh set-up, uv 2 s, 2026-12-03); uv itself comes from pip, checked
## against requirements-uv.lock's hashes. No bytecode is compiled at install: Python compiles each
## module the first time it is imported.
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python
$(VENV)/.installed: requirements.lock requirements-uv.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-compile --disable-pip-version-check --require-hashes -r requirements-uv.lock
	$(UV) --require-hashes -r requirements.lock
	$(UV) --no-deps -e .
	touch $@

## Make requirements.lock again from pyproject.toml (after adding or changing a dependency), and
## requirements-uv.lock from UV_VERSION.
UV_VERSION := 0.13.9
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools==7.6.2
	.venv-lock/bin/pip-compile --quiet --generate-hashes --extra test --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml
	echo "uv==$(UV_VERSION)" | .venv-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --output-file requirements-uv.lock -

## The real Chromium the browser tests drive, its headless shell (Playwright cannot download its own
## here), and the whole browser for benchmarks/lighthouse.py.
browser:
	@command -v chromium-headless-shell >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium and chromium-headless-shell for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-headless-shell >/dev/null; }

## Debian's nginx and redis-server, for the scaled-out test (tests/test_scaled_out.py starts its own).
servers:
	@{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 || { \
	  echo "Installing Debian's nginx-light and redis-server for the scaled-out test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light redis-server >/dev/null; }

## The .mo files, compiled again only when a catalogue changed (so two test runs side by side never write them at once).
CATALOGUES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
translations: $(CATALOGUES:.po=.mo)

$(CATALOGUES:.po=.mo) &: $(CATALOGUES) $(VENV)/.installed
	$(BIN)/flask translate compile

db: setup
	$(BIN)/flask db upgrade

demo: setup
	$(BIN)/flask seed-demo --if-empty

## Translation workflow: one command each.
extract: setup
	$(BIN)/flask translate extract

update: setup
	$(BIN)/flask translate update

compile: setup
	$(BIN)/flask translate compile

clean:
	rm -rf $(VENV) .venv-lock instance .pytest_cache .hypothesis tests/js/node_modules
	find app -name '*.mo' -delete
