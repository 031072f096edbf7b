"""The quality gate: Great Expectations 1.x suites in two stages.

- `raw`: every dataset's current vintage, before dbt (dimensions, codes, geographies, years,
  duplicates, shrinking, missing values);
- `models`: staging, facts and marts after dbt (keys, units, ranges, registry coverage,
  progress ratios, benchmark classes, year-on-year jumps).

An `error` failure blocks publication; a `warn` failure publishes and is listed.
"""

from pipelines.lib.gate.outcome import GateResult, Outcome
from pipelines.lib.gate.run import fingerprint, mart_tables, run_stage
from pipelines.lib.gate.suites import build_suites, load_severity, severity_of

__all__ = [
    "GateResult",
    "Outcome",
    "build_suites",
    "fingerprint",
    "load_severity",
    "mart_tables",
    "run_stage",
    "severity_of",
]
