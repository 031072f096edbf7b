"""What the dbt project is, as a digest: the files dbt parses and the versions of the dbt
environment. A dbt data test's result depends on these and on the rows it reads
(pipelines/gate/dbt_tests.py); the publication's inputs fingerprint includes them
(pipelines/publish/fingerprint.py)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pipelines.settings import REPO_ROOT, dbt_env_version

PROJECT_FILES = (
    "dbt_project/models",
    "dbt_project/macros",
    "dbt_project/tests",
    "dbt_project/dbt_project.yml",
    "dbt_project/profiles.yml",
)
SKIPPED_PARTS = {"__pycache__", "target", "logs", "dbt_packages"}
DBT_ENV_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")


def dbt_project_fingerprint(root: Path = REPO_ROOT) -> str:
    """sha256 over the project's files (paths and contents) and the dbt environment's
    versions."""
    digest = hashlib.sha256()
    for rel in PROJECT_FILES:
        add_files(digest, rel, root / rel)
    add_dbt_env(digest)
    return digest.hexdigest()


def add_files(digest, label: str, folder: Path) -> None:
    """Each file under `folder` (or `folder` itself), as `label/<relative path>` and the
    sha256 of its contents, in a stable order."""
    for path in files(folder):
        name = path.relative_to(folder).as_posix() if path != folder else ""
        digest.update(f"{label}/{name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def add_dbt_env(digest) -> None:
    for package in DBT_ENV_PACKAGES:  # from the dbt environment (.venv-dbt)
        digest.update(f"dbt-env:{package}={dbt_env_version(package) or 'none'};".encode())


def files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    out = []
    if path.is_dir():
        for dirpath, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_PARTS and not d.startswith("."))
            out += [Path(dirpath) / f for f in sorted(names) if not f.endswith(".pyc")]
    return out
