"""dbt unit tests (given/expect rows for every calculation: CAGR ratio and verdict
boundaries, series breaks, count and direction targets, scoreboard classes and the exception
rule, group gaps and suppressed cells, revisions, derived indicators), run against the
warehouse of a published sample refresh."""

from __future__ import annotations

import json
import os
import subprocess

from pipelines.settings import dbt_executable
from tests.conftest import REPO


def test_dbt_unit_tests_pass(published_home, tmp_path):
    dbt = dbt_executable()
    env = {**os.environ, "MONITOR_WAREHOUSE_DB": str(published_home / "warehouse.duckdb")}
    target = tmp_path / "target"
    result = subprocess.run(
        [
            str(dbt),
            "test",
            "--select",
            "test_type:unit",
            "--target-path",
            str(target),
            "--profiles-dir",
            str(REPO / "dbt_project"),
        ],
        cwd=REPO / "dbt_project",
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    unit = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit) >= 10, [r["unique_id"] for r in unit]
    assert all(r["status"] == "pass" for r in unit)
