"""The Dagster instance for runs started from the command line: `$MONITOR_HOME/dagster/
dagster.yaml`, written by `monitor` (`prepare` and every run)."""

from __future__ import annotations

from pathlib import Path

DAGSTER_YAML = """# Written by `monitor`; the Dagster instance for runs started from the command line.
telemetry:
  enabled: false
concurrency:
  pools:
    # a run containing a step of the pool `warehouse` runs alone (DuckDB: one writer)
    granularity: run
    default_limit: 1
# Dagster's SQLite storage and layout, with a cheaper event log (pipelines/warehouse/dagster_storage.py)
storage:
  custom:
    module: pipelines.warehouse.dagster_storage
    class: FastSqliteStorage
    config: {}
"""
MOVED_STORAGE = "module: pipelines.lib.dagster_storage"  # where the storage class lived before


def prepare_instance(dagster_home: Path) -> None:
    """Write dagster.yaml when it is missing, or when it names the storage class where it
    lived before (an instance folder from an older version)."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    elif MOVED_STORAGE in (text := config.read_text()):
        config.write_text(
            text.replace(MOVED_STORAGE, "module: pipelines.warehouse.dagster_storage")
        )
