# Bazaar — the commands the README names. Every target installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Python 3.13: on PATH, or any pyenv 3.13.x (override with PYTHON_BIN=/path/to/python3.13).
# Each candidate is run, not just found: a pyenv shim exists even when it cannot run 3.13.
PYTHON_BIN ?= $(shell for c in $$(command -v python3.13) $$(ls -d $$( (pyenv root 2>/dev/null || echo $$HOME/.pyenv) )/versions/3.13*/bin/python3.13 2>/dev/null | sort -rV); do \
  "$$c" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null && { echo "$$c"; break; }; done)
export PYTHON_BIN
# The Node.js lines osls 4.3.1 supports ("^20.19.0 || ^22.13.0 || >=24"), LTS ones only.
NODE_SUPPORTED := const [major, minor] = process.versions.node.split(".").map(Number); \
  process.exit({20: 19, 22: 13, 24: 0}[major] !== undefined && minor >= {20: 19, 22: 13, 24: 0}[major] ? 0 : 1)
export SLS_TELEMETRY_DISABLED := 1
export SLS_NOTIFICATIONS_MODE := off

.PHONY: help prereqs deps browser dev invoke reindex redrive test test-fast lint format bench openapi package outbox admin clean

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

prereqs:
	@[ -n "$(PYTHON_BIN)" ] && "$(PYTHON_BIN)" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null || \
	  { echo "✗ Python 3.13 is required: install it (e.g. 'pyenv install 3.13') or set PYTHON_BIN=/path/to/python3.13" >&2; exit 1; }
	@command -v node >/dev/null && node -e '$(NODE_SUPPORTED)' || \
	  { echo "✗ Node.js 20.19+, 22.13+ or 24 (what osls and its plugins support) is required (found: $$(node --version 2>/dev/null || echo none))" >&2; exit 1; }

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(MAKE) --no-print-directory prereqs
	@[ -x $(PY) ] && $(PY) -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null || \
	  { rm -rf $(VENV) && "$(PYTHON_BIN)" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip==26.3
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json .npmrc
	@$(MAKE) --no-print-directory prereqs
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(VENV)/.installed node_modules/.installed ## install Python and Node dependencies (idempotent)

dev: deps ## run the API locally (embedded AWS + serverless offline + demo data)
	$(PY) -m scripts.dev

invoke: deps ## one function, one event (serverless invoke local, make dev running): FN=… [EVENT=…]
	@$(PY) -m scripts.invoke "$(FN)" "$(EVENT)"

# The browser test (tests/e2e/test_docs_browser.py) drives Debian's chromium + chromium-driver.
# Installed when missing, as root (CI); anyone else is told how, and the test says it skipped.
CHROMIUM ?= /usr/bin/chromium
CHROMEDRIVER ?= /usr/bin/chromedriver
browser: ## install chromium + chromium-driver for the browser test (apt-get, as root; idempotent)
	@if [ -x $(CHROMIUM) ] && [ -x $(CHROMEDRIVER) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium and chromium-driver (apt-get) for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends chromium chromium-driver >/dev/null || \
	    { echo "✗ apt-get could not install chromium chromium-driver" >&2; exit 1; }; \
	else \
	  echo "⚠ chromium and chromium-driver are missing: the browser test will be SKIPPED." >&2; \
	  echo "  Install them as root: sudo make browser (or apt-get install chromium chromium-driver)" >&2; \
	fi

test: deps browser ## the whole suite: unit, integration, e2e, browser, packaged template (serverless package + cfn-lint)
	$(PY) -m pytest -n $${TEST_WORKERS:-auto} --dist loadgroup --durations=25

test-fast: deps ## unit and integration tests only
	$(PY) -m pytest -n $${TEST_WORKERS:-auto} -m "not e2e and not template"

lint: deps ## ruff (lint + format check) and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: deps ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: deps ## cold-start import ratios of every function (BENCH_ARGS=--instructions: valgrind counts)
	$(PY) -m benchmarks.run $(BENCH_ARGS)
	$(PY) -m benchmarks.search

openapi: deps ## regenerate docs/openapi.json from the handlers
	$(PY) -m scripts.openapi --write

package: deps ## serverless package (.serverless/cloudformation-template-update-stack.json)
	AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_ACCOUNT_ID=123456789012 \
	  node_modules/.bin/serverless package --stage $${STAGE:-dev}

outbox: ## emails and SMS sent by the running `make dev`
	@curl -fsS http://127.0.0.1:$${LOCAL_AWS_PORT:-4566}/_bazaar/outbox || echo "is make dev running?"

admin: deps ## create or promote an admin: make admin EMAIL=... PASSWORD=... [STAGE=prod]
	$(PY) -m scripts.create_admin --email "$(EMAIL)" --password "$(PASSWORD)" --stage $${STAGE:-dev}

reindex: deps ## rebuild the search index from the table and swap it in: make reindex [STAGE=prod]
	$(PY) -m scripts.reindex --stage $${STAGE:-dev}

redrive: deps ## move a dead-letter queue's messages back: make redrive QUEUE=notifications [STAGE=prod] [DRY_RUN=1] [MAX=n]
	$(PY) -m scripts.redrive "$(QUEUE)" --stage $${STAGE:-dev} $(if $(DRY_RUN),--dry-run) $(if $(MAX),--max $(MAX))

clean: ## remove installed dependencies and build output
	rm -rf $(VENV) node_modules .serverless .pytest_cache .mypy_cache .ruff_cache
