"""The settings of config/monitor.yaml reach the marts through int_settings: a key missing,
duplicated or null in the warehouse's settings table fails a dbt data test (and skips the
marts that read it) instead of a null threshold silently changing verdicts. Each case runs
the real `dbt build` on a copy of a sample refresh's warehouse."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import dbt_executable
from tests.conftest import REPO

pytestmark = pytest.mark.slow

TAMPERS = {
    "missing_key": (
        "delete from registry.settings where key = 'progress.with_target.moderate'",
        "assert_int_settings_has_one_row",
    ),
    "duplicated_key": (
        "insert into registry.settings values ('progress.min_points', 3)",
        "assert_int_settings_has_one_row",
    ),
    "null_value": (
        "update registry.settings set value = null where key = 'gaps.trend_years'",
        "not_null_int_settings_gap_trend_years",
    ),
    "min_points_below_two": (
        "update registry.settings set value = 1 where key = 'progress.min_points'",
        "expression_is_true_int_settings_min_points_2",
    ),
}


def build_settings(warehouse: Path, target: Path) -> dict[str, str]:
    """`dbt build` of int_settings and mart_target_progress: {node name: status}."""
    result = subprocess.run(
        [
            str(dbt_executable()),
            "build",
            "--select",
            "int_settings",
            "mart_target_progress",
            "--exclude",
            "test_type:unit",
            "--target-path",
            str(target),
            "--profiles-dir",
            str(REPO / "dbt_project"),
        ],
        cwd=REPO / "dbt_project",
        env={**os.environ, "MONITOR_WAREHOUSE_DB": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    results = json.loads((target / "run_results.json").read_text())["results"]
    statuses = {r["unique_id"].split(".")[2]: r["status"] for r in results}
    assert (result.returncode != 0) == any(s in ("fail", "error") for s in statuses.values())
    return statuses


@pytest.mark.parametrize("case", sorted(TAMPERS))
def test_broken_settings_fail_a_data_test(published_home, tmp_path, case):
    sql, failing_test = TAMPERS[case]
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(published_home / "warehouse.duckdb", warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(sql)
    finally:
        con.close()
    statuses = build_settings(warehouse, tmp_path / "target")
    assert statuses[failing_test] == "fail", statuses
    assert statuses["mart_target_progress"] == "skipped", statuses
