"""dbt's partial parse holds across warehouse homes: the profile names the warehouse by its
file name in the folder dbt runs in (pipelines/warehouse/dbt_in_warehouse.sh), so a copied
home keeps its parse state and a new home starts from the project's (dagster-dbt copies it
for the dbt asset, pipelines/warehouse/dbt_parse_state.py for the gate's `dbt test`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from pipelines.settings import DBT_PROJECT_DIR, dbt_executable
from pipelines.warehouse.dbt_parse_state import STATE, seed_partial_parse

FULL_PARSE = "Unable to do partial parsing"
PARTIAL = "Partial parsing enabled"


def dbt_parse(warehouse: Path, target: Path) -> str:
    """`dbt parse` as the pipeline runs it, for the warehouse `warehouse`; dbt's own log."""
    result = subprocess.run(
        [str(dbt_executable()), "parse", "--target-path", str(target), "--log-path", str(target)],
        env={**os.environ, "MONITOR_WAREHOUSE_DB": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return (target / "dbt.log").read_text()


def test_a_copied_home_keeps_dbts_parse_state(published_home, tmp_path):
    home = tmp_path / "copied"
    shutil.copytree(published_home / "dbt", home / "dbt")
    assert (home / "dbt" / "target" / STATE).is_file()
    log = dbt_parse(home / "warehouse.duckdb", home / "dbt" / "target")
    assert FULL_PARSE not in log, [line for line in log.splitlines() if FULL_PARSE in line]
    assert PARTIAL in log


def test_the_first_refresh_of_a_new_home_parses_only_what_changed(published_home):
    """The session's sample refresh ran in a new home: dagster-dbt copies the project's
    parse state into a target folder that has none, and with one profile for every home dbt
    uses it."""
    log = (published_home / "dbt" / "target" / "dbt.log").read_text()
    assert FULL_PARSE not in log, [line for line in log.splitlines() if FULL_PARSE in line]
    assert PARTIAL in log


def test_a_new_home_starts_from_the_projects_parse_state(tmp_path):
    target = tmp_path / "home" / "dbt" / "target"
    assert (DBT_PROJECT_DIR / "target" / STATE).is_file(), "monitor prepare runs dbt parse"
    assert seed_partial_parse(target)
    log = dbt_parse(tmp_path / "home" / "warehouse.duckdb", target)
    assert FULL_PARSE not in log, [line for line in log.splitlines() if FULL_PARSE in line]
    assert PARTIAL in log
    # dbt parse opens no database: nothing but its own output in the new home
    assert sorted(p.name for p in (tmp_path / "home").iterdir()) == ["dbt"]


def test_seeding_never_replaces_a_homes_own_state(tmp_path):
    project_target, target = tmp_path / "project", tmp_path / "home"
    project_target.mkdir()
    (project_target / STATE).write_bytes(b"project")
    assert not seed_partial_parse(target, project_target / "none")  # the project has none
    assert not target.exists()
    assert seed_partial_parse(target, project_target)
    (target / STATE).write_bytes(b"home")
    assert not seed_partial_parse(target, project_target)
    assert (target / STATE).read_bytes() == b"home"
    assert sorted(p.name for p in target.iterdir()) == [STATE]  # no temporary file left


def test_a_warehouse_file_of_another_name_is_refused_before_dbt_starts(tmp_path):
    result = subprocess.run(
        [str(dbt_executable()), "--version"],
        env={**os.environ, "MONITOR_WAREHOUSE_DB": str(tmp_path / "other.duckdb")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "must be named warehouse.duckdb" in result.stderr
    assert str(tmp_path / "other.duckdb") in result.stderr
    assert not list(tmp_path.iterdir())
