"""The Dagster code location loads from workspace.yaml, as `dagster dev` would load it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(cmd: list[str], **env: str) -> subprocess.CompletedProcess:
    """`cmd` in the repository with this environment plus `env`, output captured."""
    return subprocess.run(
        cmd, cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )


def test_dagster_definitions_validate(tmp_path):
    (tmp_path / "dh").mkdir()
    result = _run(
        [str(BIN / "dagster"), "definitions", "validate", "-w", "workspace.yaml"],
        MONITOR_HOME=str(tmp_path / "home"),
        DAGSTER_HOME=str(tmp_path / "dh"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_asset_graph_has_every_layer():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    groups = {
        graph.get(key).group_name
        for key in graph.get_all_asset_keys()
        if graph.get(key).is_materializable
    }
    assert {"raw", "staging", "intermediate", "marts", "publication"} <= groups
    job = defs.resolve_job_def("refresh")
    assert job is not None
    checks = {key.name for key in graph.asset_check_keys}
    assert {"gx_fct_indicator_values", "gx_dim_indicator"} <= checks


def test_every_model_that_reads_a_source_waits_for_the_decision():
    """The unchanged-inputs decision skips dbt only if every model reading a source (read
    from dbt's manifest) depends on it, and nothing else does."""
    import json

    from pipelines.definitions import defs
    from pipelines.defs.dbt.project import ensure_manifest
    from pipelines.publish.keys import INPUTS_DECISION, asset_key

    nodes = json.loads(ensure_manifest().read_text())["nodes"].values()
    reading = {
        n["name"]
        for n in nodes
        if n["resource_type"] == "model"
        and any(u.startswith("source.") for u in n["depends_on"]["nodes"])
    }
    graph = defs.resolve_asset_graph()
    waiting = {k.path[-1] for k in graph.get(asset_key(INPUTS_DECISION)).child_keys}
    assert reading and waiting == reading


def test_loading_definitions_imports_no_data_library(tmp_path):
    """Definitions load (UI, daemon, every `monitor refresh`) stays cheap: DuckDB, Polars,
    pandas, pyarrow, openpyxl and Great Expectations are imported by the steps that use them,
    and dbt-core not at all (it lives in the dbt environment, .venv-dbt)."""
    heavy = ("duckdb", "polars", "pandas", "pyarrow", "openpyxl", "great_expectations", "dbt")
    code = (
        "import sys, pipelines.definitions as d; "
        f"print(','.join(m for m in {heavy!r} if m in sys.modules)); "
        "print(len(list(d.defs.resolve_asset_graph().get_all_asset_keys())))"
    )
    result = _run([sys.executable, "-c", code], MONITOR_HOME=str(tmp_path / "home"))
    assert result.returncode == 0, result.stderr[-3000:]
    imported, assets = result.stdout.splitlines()
    assert imported == "", f"imported at definitions load: {imported}"
    assert int(assets) > 50  # the definitions really loaded


def test_the_lean_dbt_resource_reports_the_dbt_executables_version():
    """LeanDbtCliResource skips `dbt --version`: the version it reads from the dbt
    environment's package metadata must be the one its dbt executable prints."""
    import re

    from pipelines.defs.dbt.resource import LeanDbtCliResource
    from pipelines.settings import dbt_executable

    dbt = dbt_executable()
    printed = subprocess.run(
        [str(dbt), "--version"], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    core = re.search(r"installed:\s*(\d+\.\d+\.\d+)", printed) or re.search(
        r"(\d+\.\d+\.\d+)", printed
    )
    resource = LeanDbtCliResource.for_project(str(REPO / "dbt_project"))
    assert resource.dbt_executable == str(dbt)
    assert str(resource._cli_version) == core.group(1)
    assert resource._initialize_dbt_core_adapter([]) is None


def test_a_missing_dbt_environment_is_a_clear_error_that_runs_nothing(tmp_path):
    result = _run(
        [str(BIN / "monitor"), "refresh", "--source", "sample"],
        MONITOR_HOME=str(tmp_path / "home"),
        MONITOR_DBT_ENV=str(tmp_path / "no-dbt-here"),
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "dbt is not installed" in result.stderr
    assert str(tmp_path / "no-dbt-here" / "bin" / "dbt") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "home" / "published" / "monitor.duckdb").exists()
    assert not (tmp_path / "home" / "warehouse.duckdb").exists()


def test_a_dbt_environment_without_dbt_core_is_the_same_clear_error(tmp_path, monkeypatch):
    import pytest

    from pipelines.defs.dbt.resource import dbt_core_version
    from pipelines.settings import DbtNotInstalled

    (tmp_path / "env" / "bin").mkdir(parents=True)
    (tmp_path / "env" / "bin" / "dbt").write_text("#!/bin/sh\n")
    monkeypatch.setenv("MONITOR_DBT_ENV", str(tmp_path / "env"))
    with pytest.raises(DbtNotInstalled, match="dbt-core is not installed in the dbt environment"):
        dbt_core_version()
