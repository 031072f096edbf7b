"""Dagster definitions, one folder per concern: registry, eurostat (ingest), microdata
(aggregates from a survey file), dbt (models), quality (the gate's asset checks),
publication (publish + report)."""

from pipelines.settings import export_env

# Pin warehouse paths and put this interpreter's `dbt` on PATH before any definition loads.
export_env()
