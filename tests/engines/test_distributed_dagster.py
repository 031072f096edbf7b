"""The `refresh` job on the Celery executor: a Dagster instance on PostgreSQL storage, a
PostgreSQL broker and result backend, two Celery workers (one on the default queue, one on
the report's). The steps ran in at least two worker processes (not in the run's own
process), the run's events are in PostgreSQL, and the publication is there: the DuckDB
warehouse was written one step at a time (the op-granularity `warehouse` pool)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest

from pipelines.warehouse.distributed.instance import distributed_env, write_instance
from pipelines.warehouse.distributed.workers import CeleryWorkers
from pipelines.warehouse.engines.read import read_table
from tests.conftest import REPO

pytestmark = [pytest.mark.engines, pytest.mark.timeout(1800)]


def pid(event: dict) -> int:
    """The process that wrote a stored Dagster event."""
    return json.loads(event["event"])["dagster_event"]["pid"]


def test_refresh_runs_on_celery_workers_with_events_in_postgres(local_postgres, tmp_path):
    settings = local_postgres.create_database("dagster", "dagster")
    home = tmp_path / "home"
    env = {
        "MONITOR_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        **distributed_env(settings),
    }
    write_instance(home / "dagster")
    workers = CeleryWorkers.start(tmp_path / "workers", env)
    try:
        workers.wait_ready()
        result = subprocess.run(
            [sys.executable, "-m", "pipelines.cli.distributed", "--source", "sample"],
            cwd=REPO,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=1500,
        )
    finally:
        workers.stop()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    run_id = result.stdout.split()[1].rstrip(":")

    columns, rows = read_table(
        "postgres",
        "public",
        "event_logs",
        settings,
    )
    events = [
        dict(zip(columns, row, strict=True))
        for row in rows
        if row[columns.index("run_id")] == run_id
    ]
    kinds = [e["dagster_event_type"] for e in events]
    # Dagster stores the run's start and success under their legacy names
    assert "PIPELINE_SUCCESS" in kinds, sorted({k for k in kinds if k})
    assert kinds.count("STEP_SUCCESS") >= 30, kinds.count("STEP_SUCCESS")
    step_pids = {pid(e) for e in events if e["dagster_event_type"] == "STEP_START"}
    run_pids = {pid(e) for e in events if e["dagster_event_type"] == "PIPELINE_START"}
    assert len(step_pids) >= 2, step_pids
    assert len(run_pids) == 1 and None not in step_pids and not step_pids & run_pids

    published = home / "published" / "monitor.duckdb"
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert con.execute("select count(*) from fct_indicator_values").fetchall()[0][0] > 20_000
    finally:
        con.close()
