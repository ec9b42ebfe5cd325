# mrio_tools: every target runs inside the project's own virtual environment (.venv).
# `make help` lists the targets. Report outputs are real file targets: an up-to-date report is not rebuilt.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

# Real data of the default report: shipped in data_raw/ (see data_raw/README.md). `make report
# SHARED=DIR` reads a folder laid out as the project's shared data instead (DIR/wiod2013,
# DIR/wiod2016_env, DIR/owid_co2_2025, DIR/us_gdp_deflator); each path can also be set alone.
ifdef SHARED
WIOD_DATA ?= $(SHARED)/wiod2013
WIOD_EMISSIONS ?= $(SHARED)/wiod2016_env
NATIONAL ?= $(SHARED)/owid_co2_2025
DEFLATOR ?= $(SHARED)/us_gdp_deflator/GDPDEF.csv
else
WIOD_DATA ?= data_raw/wiod2013
WIOD_EMISSIONS ?= data_raw/jrc_co2
NATIONAL ?= data_raw/owid_co2
DEFLATOR ?= data_raw/us_gdp_deflator/GDPDEF.csv
endif
WIOD_YEARS ?= 1990-2019
# residence (the JRC accounts as published) or territorial (each region scaled to its inventory
# total, docs/methods.md); a territorial build goes to its own folder so neither overwrites the other
PRINCIPLE ?= residence
WIOD_OUT := reports/wiod2013$(if $(filter territorial,$(PRINCIPLE)),_territorial,)

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
WIOD_SERIES := $(WIOD_OUT)/series/accounts.csv
WIOD_SKILL := $(WIOD_OUT)/skill/skill_summary.csv
WIOD_METHODS := $(WIOD_OUT)/methods/sda.csv
# years of the methods beyond the basic accounts (EEBT, TCBA, income-based, sectors, footprints, SDA):
# real tables with their own sector emissions only
METHOD_YEARS ?= 2000,2011
WIOD_REPORT := $(WIOD_OUT)/report/report.html
WIOD_REPORT_ZH := $(WIOD_OUT)/report_zh/report.html
WIOD_SOURCE := --source wiod2013 --data $(WIOD_DATA) --emissions $(WIOD_EMISSIONS)

.DEFAULT_GOAL := help
.PHONY: help install system-deps report report-wiod report-demo test lint typecheck pytest bench clean

help: ## list the targets (what each folder holds: README.md, "Layout")
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

report: $(WIOD_REPORT) $(WIOD_REPORT_ZH) ## the real report 1990-2019 (WIOD 2013 + JRC CO2 from data_raw/), en and zh: reports/wiod2013/report*/report.html

report-wiod: report ## the same as `make report` (kept for old instructions)

report-demo: $(DEMO_REPORT) ## demonstration report (synthetic data, not real countries): reports/demo/report/report.html

$(DEMO_SERIES): $(STAMP) $(ENGINE_SRC)
	$(MRIO) series --source demo --years 1990-2019 --out-dir reports/demo/series --no-progress

$(DEMO_REPORT): $(DEMO_SERIES) $(REPORT_SRC)
	$(MRIO) report --series reports/demo/series --out-dir reports/demo/report

$(WIOD_SERIES): $(STAMP) $(ENGINE_SRC) $(WIOD_INPUTS)
	$(MRIO) series $(WIOD_SOURCE) --extend --national $(NATIONAL) --deflator $(DEFLATOR) \
	    --emissions-principle $(PRINCIPLE) --years $(WIOD_YEARS) --unit Mt \
	    --out-dir $(WIOD_OUT)/series --no-progress

$(WIOD_SKILL): $(STAMP) $(ENGINE_SRC) $(WIOD_INPUTS)
	$(MRIO) skill-test $(WIOD_SOURCE) --national $(NATIONAL) --out-dir $(WIOD_OUT)/skill

# the methods of docs/methods.md beyond the national accounts (emissions as the source publishes them),
# for the real years METHOD_YEARS (sda, the last one written, stands for the folder)
$(WIOD_METHODS): $(STAMP) $(ENGINE_SRC) $(WIOD_INPUTS)
	for method in eebt tcba income sectors footprints; do \
	    $(MRIO) $$method $(WIOD_SOURCE) --years $(METHOD_YEARS) --unit Mt \
	        --out-dir $(WIOD_OUT)/methods || exit 1; \
	done
	$(MRIO) sda $(WIOD_SOURCE) --years $(METHOD_YEARS) --prices constant --deflator $(DEFLATOR) \
	    --out-dir $(WIOD_OUT)/methods

$(WIOD_REPORT): $(WIOD_SERIES) $(WIOD_SKILL) $(WIOD_METHODS) $(REPORT_SRC)
	$(MRIO) report --series $(WIOD_OUT)/series --skill-dir $(WIOD_OUT)/skill \
	    --methods-dir $(WIOD_OUT)/methods --out-dir $(WIOD_OUT)/report --lang en

# the Chinese figures need a CJK font (system-deps installs it where missing)
$(WIOD_REPORT_ZH): $(WIOD_SERIES) $(WIOD_SKILL) $(WIOD_METHODS) $(REPORT_SRC) | system-deps
	$(MRIO) report --series $(WIOD_OUT)/series --skill-dir $(WIOD_OUT)/skill \
	    --methods-dir $(WIOD_OUT)/methods --out-dir $(WIOD_OUT)/report_zh --lang zh

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
	rm -rf $(VENV) reports/demo reports/wiod2013 reports/wiod2013_territorial
