"""The dbt project and its manifest, built once and rebuilt only when the project changes.

Loading Dagster definitions reads `dbt_project/target/manifest.json`; it never parses dbt
unless the manifest is missing or older than a file of the dbt project (then it runs
`dbt parse` once, like `monitor prepare`, with the dbt of the dbt environment).
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster_dbt import DbtProject

from pipelines.settings import DBT_PROJECT_DIR, export_env

project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

_WATCHED = ("models", "macros", "tests", "dbt_project.yml", "profiles.yml")


def _newest_source_mtime(root: Path) -> float:
    newest = 0.0
    for name in _WATCHED:
        path = root / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for dirpath, _dirs, files in os.walk(path):
                for file in files:
                    newest = max(newest, os.stat(os.path.join(dirpath, file)).st_mtime)
    return newest


def manifest_is_stale() -> bool:
    manifest = project.manifest_path
    return not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime(
        project.project_dir
    )


def ensure_manifest(force: bool = False) -> Path:
    """Build the manifest when missing or stale; returns its path."""
    if force or manifest_is_stale():
        from pipelines.defs.dbt.resource import LeanDbtCliResource

        export_env()
        # what dagster-dbt's preparer runs, with the dbt environment's executable
        LeanDbtCliResource.for_project(project).cli(
            ["parse", "--quiet"], target_path=project.target_path
        ).wait()
    return project.manifest_path
