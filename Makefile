# fintrack — every target installs what it needs first. `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

UV_VERSION := 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen --no-sync
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help install web run migrate test lint format bench demo clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools && .tools/bin/pip install -q "uv==$(UV_VERSION)"

.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen
	@touch $@

install: .venv/.synced ## create .venv with the locked dependencies (uv.lock)

web/dist/index.html: $(shell find web/src web/index.html web/package.json 2>/dev/null)
	@if [ -f web/package.json ]; then cd web && npm ci --no-audit --no-fund && npm run build; \
	else mkdir -p web/dist && echo '<!doctype html><title>fintrack</title>' > $@; fi

web: web/dist/index.html ## build the single-page app into web/dist

migrate: install ## create/upgrade every table (idempotent)
	$(RUN) fintrack migrate

run: install web migrate ## install, build, migrate, and serve on http://$(HOST):$(PORT) (embedded defaults)
	$(RUN) fintrack serve --host $(HOST) --port $(PORT)

demo: install migrate ## load a demo user with a few years of data
	$(RUN) fintrack demo

lint: install ## ruff, ruff format --check, mypy --strict, import-linter
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	$(RUN) lint-imports

format: install ## apply ruff fixes and formatting
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

test: install lint ## lint + types + import contracts + every test (real MariaDB and RabbitMQ)
	$(RUN) pytest $(PYTEST_ARGS)

bench: install ## performance figures against same-run baselines (MariaDB, RabbitMQ; wrk as load)
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(RUN) python -m ops.bench $(BENCH)

clean: ## remove the virtualenv, build output and local data
	rm -rf .venv .tools web/dist var .mypy_cache .ruff_cache .pytest_cache
