"""`dbt build` (or another dbt command) of the project on an engine: the profile target and
the environment it needs.

The DuckDB target reads MONITOR_WAREHOUSE_DB; postgres and spark read the connection
settings from the environment (engines/settings.py), the PostgreSQL password as
DBT_ENV_SECRET_POSTGRES_PASSWORD, which dbt scrubs from everything it logs.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pipelines.settings import DBT_PROJECT_DIR, dbt_executable
from pipelines.warehouse.engines.settings import PostgresSettings, SparkSettings

TARGETS = {"duckdb": "warehouse", "postgres": "postgres", "spark": "spark"}


@dataclass(frozen=True)
class DbtRun:
    returncode: int
    seconds: float
    statuses: dict[str, int]  # status -> count, from run_results.json
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def dbt_env(engine: str, where: Path | PostgresSettings | SparkSettings) -> dict[str, str]:
    """The environment of a dbt subprocess building on `engine`."""
    env = {**os.environ}
    if engine == "duckdb":
        env["MONITOR_WAREHOUSE_DB"] = str(where)
    elif engine == "postgres":
        env.update(where.env())
        env["DBT_ENV_SECRET_POSTGRES_PASSWORD"] = env.pop("MONITOR_POSTGRES_PASSWORD")
    else:
        env.update(where.env())
    return env


def dbt_run(
    verb: str,
    engine: str,
    where: Path | PostgresSettings | SparkSettings,
    target_path: Path,
    args: list[str] | None = None,
    timeout_s: float = 3600,
) -> DbtRun:
    """Run `dbt <verb>` (build, test, ...) on `engine`."""
    command = [
        str(dbt_executable()),
        verb,
        "--target",
        TARGETS[engine],
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_path),
        *(args or []),
    ]
    began = time.monotonic()
    result = subprocess.run(
        command,
        cwd=DBT_PROJECT_DIR,
        env=dbt_env(engine, where),
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
    seconds = time.monotonic() - began
    statuses: dict[str, int] = {}
    results = target_path / "run_results.json"
    if results.exists():
        for item in json.loads(results.read_text())["results"]:
            statuses[item["status"]] = statuses.get(item["status"], 0) + 1
    return DbtRun(result.returncode, seconds, statuses, result.stdout + result.stderr)


#: `dbt build` (models, data tests and unit tests) on an engine.
dbt_build = partial(dbt_run, "build")
