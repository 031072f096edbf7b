# The two commands: `make run` (install + refresh the sample end to end) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# dbt-core and dbt-duckdb live in their own environment (docs/architecture.md): loading the
# Dagster definitions then never imports dbt-core. Same lock, so the same duckdb in both.
DBT_VENV  := .venv-dbt
DBT_STAMP := $(DBT_VENV)/.installed
# pyspark (Spark's jars, ~0.5 GB) only for the local Spark cluster of the engine tests.
SPARK_VENV  := .venv-spark
SPARK_STAMP := $(SPARK_VENV)/.installed
CHECK_PYTHON = @$(PYTHON) -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version" || { echo "error: Python 3.11 is required ($(PYTHON))"; exit 1; }

.PHONY: install install-spark run test test-fast test-engines lint ui bench audit lock clean axe

$(DBT_STAMP): pyproject.toml requirements.lock
	$(CHECK_PYTHON)
	$(PYTHON) -m venv --clear $(DBT_VENV)
	$(PYTHON) scripts/requirements_of.py dbt > $(DBT_VENV)/requirements.txt
	$(DBT_VENV)/bin/pip install --quiet -c requirements.lock -r $(DBT_VENV)/requirements.txt
	@touch $(DBT_STAMP)

$(STAMP): pyproject.toml requirements.lock $(DBT_STAMP)
	$(CHECK_PYTHON)
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev,engines]"
	$(BIN)/monitor prepare
	@touch $(STAMP)

install: $(STAMP)

$(SPARK_STAMP): pyproject.toml requirements.lock
	$(CHECK_PYTHON)
	$(PYTHON) -m venv --clear $(SPARK_VENV)
	$(PYTHON) scripts/requirements_of.py spark > $(SPARK_VENV)/requirements.txt
	$(SPARK_VENV)/bin/pip install --quiet -c requirements.lock -r $(SPARK_VENV)/requirements.txt
	@touch $(SPARK_STAMP)

## The local Spark cluster's jars for the engine tests (pytest -m engines).
install-spark: $(SPARK_STAMP)

## axe-core (npm) for the report's accessibility test, in a git-ignored folder; without npm or
## the registry it says so and the accessibility test skips.
AXE_DIR   := tests/report/axe
AXE_STAMP := $(AXE_DIR)/node_modules/axe-core/axe.min.js
$(AXE_STAMP): $(AXE_DIR)/package.json $(AXE_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(AXE_DIR) --no-audit --no-fund --silent && touch $(AXE_STAMP); \
	else echo "warning: npm not found; the accessibility test (axe-core) will be skipped" >&2; fi

axe: $(AXE_STAMP)

## Install everything, then ingest -> dbt -> quality gate -> publish -> report on the bundled SAMPLE.
run: install
	$(BIN)/monitor refresh --source sample

## Install everything, then run the whole test suite (slow and reliability trials included)
## on both cores (pytest-xdist; JOBS=1 for one process).
JOBS ?= 2
test: install install-spark axe
	$(BIN)/pytest -n $(JOBS) --dist loadfile --no-loadscope-reorder

test-fast: install
	$(BIN)/pytest -m "not slow and not reliability and not browser and not engines"

## PostgreSQL, Spark and distributed Dagster: the same marts on every engine (servers on loopback);
## one file per engine, on both cores.
test-engines: install install-spark
	$(BIN)/pytest -m engines -n $(JOBS) --dist loadfile --no-loadscope-reorder

lint: install
	$(BIN)/ruff check pipelines tests scripts benchmarks
	$(BIN)/ruff format --check pipelines tests scripts benchmarks

## Benchmarks against baselines measured in the same run (docs/performance.md): every
## benchmarks/*.py with a run(session); JSON in bench-results/, one table on stdout.
## The peers of benchmarks/parse_peers.py (pyproject's `bench` extra) are installed here only.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev,bench]"
	@touch $(BENCH_STAMP)

bench: install $(BENCH_STAMP)
	$(BIN)/python -m benchmarks $(BENCH)

## The Dagster UI on http://127.0.0.1:3000 with the same definitions `monitor refresh` runs.
ui: install
	DAGSTER_HOME=$(CURDIR)/warehouse/dagster $(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

## Known vulnerabilities in the locked dependencies (pip-audit; says what it could not audit).
audit: install
	$(BIN)/python scripts/audit.py requirements.lock

## Re-pin every installed package of the three environments after a change to pyproject.toml's
## ranges (tests/unit/test_dependency_lock.py fails if the two disagree on a version).
lock:
	{ $(BIN)/pip freeze --exclude-editable; $(DBT_VENV)/bin/pip freeze; $(SPARK_VENV)/bin/pip freeze; } | sort -fu > requirements.lock

clean:
	rm -rf $(VENV) $(DBT_VENV) $(SPARK_VENV) dbt_project/target dbt_project/logs
