"""The Dagster code location loads from workspace.yaml, as `dagster dev` would load it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_dagster_definitions_validate(tmp_path):
    env = {
        **os.environ,
        "MONITOR_HOME": str(tmp_path / "home"),
        "DAGSTER_HOME": str(tmp_path / "dh"),
    }
    (tmp_path / "dh").mkdir()
    dagster = Path(sys.executable).parent / "dagster"
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
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
