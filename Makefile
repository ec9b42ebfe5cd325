# mrio_tools: every target runs inside the project's own virtual environment (.venv).
# `make help` lists the targets. Report outputs are real file targets: an up-to-date report is not rebuilt.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SRC := $(shell find mrio_tools -name '*.py' -o -name '*.csv' | sort)

# Real data (see README "Run on real data")
SHARED ?= ../shared/data
WIOD_DATA ?= $(SHARED)/wiod2013
WIOD_EMISSIONS ?= $(SHARED)/wiod2016_env
WIOD_YEARS ?= 2000-2011

DEMO_DIR := reports/demo
DEMO_OUT := $(DEMO_DIR)/accounts.csv $(DEMO_DIR)/flows.csv \
            $(DEMO_DIR)/figures/pba_vs_cba.png $(DEMO_DIR)/figures/gap_over_time.png
WIOD_DIR := reports/wiod2013
WIOD_OUT := $(WIOD_DIR)/accounts.csv $(WIOD_DIR)/flows.csv \
            $(WIOD_DIR)/figures/pba_vs_cba.png $(WIOD_DIR)/figures/gap_over_time.png

.DEFAULT_GOAL := help
.PHONY: help install system-deps report report-wiod test lint typecheck pytest bench clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# What the tests need from the system, from Debian's packages: a headless Chromium and its driver
# (the report page test) and a CJK font (Chinese figures). Installed only where missing.
SYSTEM_PACKAGES := chromium chromium-driver fonts-noto-cjk
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

system-deps: ## install Chromium, chromedriver and a CJK font (Debian packages) where missing
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null \
	    && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
	    echo "system packages present: $(SYSTEM_PACKAGES)"; \
	elif command -v apt-get >/dev/null; then \
	    $(SUDO) apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES); \
	else \
	    echo "install $(SYSTEM_PACKAGES) with your system's package manager (the report and font tests need them)"; \
	fi

install: $(STAMP) ## create .venv and install the package with its pinned-range dependencies

report: $(DEMO_OUT) ## build the demonstration report (synthetic data, not real countries) under reports/demo

$(DEMO_OUT) &: $(STAMP) $(SRC)
	$(VENV)/bin/mrio-tools report --source demo --years 1990-2019 --out-dir $(DEMO_DIR)

report-wiod: $(WIOD_OUT) ## real-data report: WIOD 2013 tables with JRC CO2, years WIOD_YEARS

$(WIOD_OUT) &: $(STAMP) $(SRC)
	$(VENV)/bin/mrio-tools report --source wiod2013 --data $(WIOD_DATA) \
	    --emissions $(WIOD_EMISSIONS) --years $(WIOD_YEARS) --stressor CO2 --out-dir $(WIOD_DIR)

lint: $(STAMP) ## ruff
	$(VENV)/bin/ruff check mrio_tools tests benchmarks
	$(VENV)/bin/ruff format --check mrio_tools tests benchmarks

typecheck: $(STAMP) ## mypy (strict) on the package
	$(VENV)/bin/mypy

pytest: $(STAMP) system-deps ## the test suite only
	$(VENV)/bin/pytest

test: lint typecheck pytest ## install, then ruff, mypy and the tests

bench: $(STAMP) ## engine benchmark against pymrio's calc_all (49 regions x 200 sectors)
	$(PY) benchmarks/bench_engine.py --regions 49 --sectors 200 --stressors 4

clean: ## remove the virtual environment and built reports
	rm -rf $(VENV) reports/demo reports/wiod2013
