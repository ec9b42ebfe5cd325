# mrio_tools: every target runs inside the project's own virtual environment (.venv).
# `make help` lists the targets. Report outputs are real file targets: an up-to-date report is not rebuilt.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

# Real data (see README "Run on real data")
SHARED ?= ../shared/data
WIOD_DATA ?= $(SHARED)/wiod2013
WIOD_EMISSIONS ?= $(SHARED)/wiod2016_env
NATIONAL ?= $(SHARED)/owid_co2_2025
DEFLATOR ?= $(SHARED)/us_gdp_deflator/GDPDEF.csv
WIOD_YEARS ?= 1990-2019

# the engine (readers, solver, accounts, series) and the report's code, kept apart so that changing a
# figure redraws the report from the saved series without recomputing any account
ENGINE_SRC := $(shell find mrio_tools \( -path mrio_tools/report -o -path mrio_tools/data/i18n \) -prune \
                -o \( -name '*.py' -o -name '*.csv' \) -print | sort)
# (the JRC workbook has a space in its name, which make cannot list: its folder stands for it)
WIOD_INPUTS := $(wildcard $(WIOD_DATA)/* $(NATIONAL)/* $(DEFLATOR) $(WIOD_EMISSIONS))
REPORT_SRC := $(shell find mrio_tools/report mrio_tools/data/i18n mrio_tools/data/boundaries -type f | sort)
MRIO := $(VENV)/bin/mrio-tools

DEMO_SERIES := reports/demo/series/accounts.csv
DEMO_REPORT := reports/demo/report/report.html
WIOD_SERIES := reports/wiod2013/series/accounts.csv
WIOD_SKILL := reports/wiod2013/skill/skill_summary.csv
WIOD_REPORT := reports/wiod2013/report/report.html
WIOD_REPORT_ZH := reports/wiod2013/report_zh/report.html
WIOD_SOURCE := --source wiod2013 --data $(WIOD_DATA) --emissions $(WIOD_EMISSIONS)

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

report: $(DEMO_REPORT) ## demonstration report (synthetic data, not real countries): reports/demo/report/report.html

$(DEMO_SERIES): $(STAMP) $(ENGINE_SRC)
	$(MRIO) series --source demo --years 1990-2019 --out-dir reports/demo/series --no-progress

$(DEMO_REPORT): $(DEMO_SERIES) $(REPORT_SRC)
	$(MRIO) report --series reports/demo/series --out-dir reports/demo/report

report-wiod: $(WIOD_REPORT) $(WIOD_REPORT_ZH) ## real-data report 1990-2019 (WIOD 2013 + JRC CO2, years outside the tables estimated), en and zh

$(WIOD_SERIES): $(STAMP) $(ENGINE_SRC) $(WIOD_INPUTS)
	$(MRIO) series $(WIOD_SOURCE) --extend --national $(NATIONAL) --deflator $(DEFLATOR) \
	    --years $(WIOD_YEARS) --unit Mt --out-dir reports/wiod2013/series --no-progress

$(WIOD_SKILL): $(STAMP) $(ENGINE_SRC) $(WIOD_INPUTS)
	$(MRIO) skill-test $(WIOD_SOURCE) --national $(NATIONAL) --out-dir reports/wiod2013/skill

$(WIOD_REPORT): $(WIOD_SERIES) $(WIOD_SKILL) $(REPORT_SRC)
	$(MRIO) report --series reports/wiod2013/series --skill-dir reports/wiod2013/skill \
	    --out-dir reports/wiod2013/report --lang en

$(WIOD_REPORT_ZH): $(WIOD_SERIES) $(WIOD_SKILL) $(REPORT_SRC) | system-deps
	$(MRIO) report --series reports/wiod2013/series --skill-dir reports/wiod2013/skill \
	    --out-dir reports/wiod2013/report_zh --lang zh

lint: $(STAMP) ## ruff
	$(VENV)/bin/ruff check mrio_tools tests benchmarks notebooks docs
	$(VENV)/bin/ruff format --check mrio_tools tests benchmarks notebooks docs

typecheck: $(STAMP) ## mypy (strict) on the package
	$(VENV)/bin/mypy

pytest: $(STAMP) system-deps ## the test suite only
	$(VENV)/bin/pytest

test: lint typecheck pytest ## install, then ruff, mypy and the tests

bench: $(STAMP) ## engine benchmark against pymrio's calc_all (49 regions x 200 sectors)
	$(PY) benchmarks/bench_end_to_end.py --regions 49 --sectors 200 --stressors 20 --repeat 3
	$(PY) benchmarks/bench_engine.py --regions 49 --sectors 200 --stressors 20

clean: ## remove the virtual environment and built reports (the store in ~/.cache/mrio_tools stays)
	rm -rf $(VENV) reports/demo reports/wiod2013
