"""A Dagster instance on PostgreSQL: run, event log and schedule storage in one database.

The file names environment variables, never a password: `postgres_url: {env: ...}`.
dagster-postgres needs the driver spelled out (`postgresql+psycopg2://`; with SQLAlchemy 2.1
a bare `postgresql://` looks for psycopg 3). Pools run at op granularity: each step of the
pool `warehouse` claims the single slot, so on a distributed executor the steps that write
the DuckDB warehouse still run one at a time, whichever worker takes them; a step waiting
for the slot checks again every 0.2 s (storage.py) instead of Dagster's back-off to 15 s.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.warehouse.engines.settings import PostgresSettings

STORAGE_URL_ENV = "MONITOR_DAGSTER_POSTGRES_URL"
BROKER_URL_ENV = "MONITOR_CELERY_BROKER_URL"
BACKEND_URL_ENV = "MONITOR_CELERY_BACKEND_URL"

DAGSTER_YAML = f"""# Written by pipelines.warehouse.distributed.instance: Dagster on PostgreSQL.
telemetry:
  enabled: false
concurrency:
  pools:
    # each step of the pool `warehouse` runs alone, on whichever worker (DuckDB: one writer)
    granularity: op
    default_limit: 1
run_storage:
  module: dagster_postgres.run_storage
  class: PostgresRunStorage
  config:
    postgres_url:
      env: {STORAGE_URL_ENV}
# dagster-postgres's event log, connected, a blocked step checking for its slot every 0.2 s
event_log_storage:
  module: pipelines.warehouse.distributed.storage
  class: PromptClaimEventLogStorage
  config:
    postgres_url:
      env: {STORAGE_URL_ENV}
schedule_storage:
  module: dagster_postgres.schedule_storage
  class: PostgresScheduleStorage
  config:
    postgres_url:
      env: {STORAGE_URL_ENV}
"""


def write_instance(dagster_home: Path) -> Path:
    dagster_home.mkdir(parents=True, exist_ok=True)
    path = dagster_home / "dagster.yaml"
    path.write_text(DAGSTER_YAML)
    return path


def distributed_env(settings: PostgresSettings) -> dict[str, str]:
    """The variables the instance, the Celery executor and its workers read."""
    return {
        STORAGE_URL_ENV: settings.url("postgresql+psycopg2"),
        BROKER_URL_ENV: settings.url("sqla+postgresql+psycopg2"),
        BACKEND_URL_ENV: settings.url("db+postgresql+psycopg2"),
    }


def celery_run_config() -> dict:
    """The `execution` block of a run on Celery: URLs by environment variable name only."""
    return {
        "execution": {
            "config": {
                "broker": {"env": BROKER_URL_ENV},
                "backend": {"env": BACKEND_URL_ENV},
            }
        }
    }
