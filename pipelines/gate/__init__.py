"""The quality gate: Great Expectations 1.x suites in two stages.

- `raw`: every dataset's current vintage, before dbt (dimensions, codes, geographies, years,
  duplicates, shrinking, missing values);
- `models`: staging, facts and marts after dbt (every mart's grain, finite numbers, units,
  ranges, registry coverage, verdicts, classes, scores and gaps re-derived from each mart's
  own inputs, year-on-year jumps) and the dbt data tests (`dbt_tests.py`).

An `error` failure blocks publication; a `warn` failure publishes and is listed.
"""

import importlib

# Exported lazily (PEP 562): loading Dagster definitions reads the suites without importing
# DuckDB, Polars or the runner.
_EXPORTS = {
    "GateResult": "outcome",
    "Outcome": "outcome",
    "fingerprint": "run",
    "mart_tables": "run",
    "run_stage": "run",
    "build_suites": "suites",
    "load_severity": "suites",
    "severity_of": "suites",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
