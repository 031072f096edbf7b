"""The fingerprint of everything besides the raw files that decides what a refresh publishes:
registry, config, dbt project, expectations, the pipeline's code, the versions of the tools,
and the configured microdata file. Recorded with each publication (`inputs_fingerprint`)
so that a refresh can tell, cheaply and honestly, that nothing changed since."""

from __future__ import annotations

import hashlib
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pipelines.settings import REPO_ROOT, dbt_env_version, registry_dir

WATCHED = (
    "registry",
    "config",
    "dbt_project/models",
    "dbt_project/macros",
    "dbt_project/tests",
    "dbt_project/dbt_project.yml",
    "dbt_project/profiles.yml",
    "expectations",
    "pipelines",
    "pyproject.toml",
)
SKIPPED_PARTS = {"__pycache__", "target", "logs", "dbt_packages"}
PACKAGES = (
    "dagster",
    "dagster-dbt",
    "duckdb",
    "great-expectations",
    "polars",
    "pandas",
    "pyarrow",
)
DBT_ENV_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    out = []
    if path.is_dir():
        for dirpath, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_PARTS and not d.startswith("."))
            out += [Path(dirpath) / f for f in sorted(files) if not f.endswith(".pyc")]
    return out


def inputs_fingerprint(root: Path = REPO_ROOT) -> str:
    """sha256 over the watched files' paths and contents (and the registry folder's, when
    MONITOR_REGISTRY_DIR moves it), tool versions and the microdata file's identity (path,
    size, modification time)."""
    digest = hashlib.sha256()
    folders = [(rel, root / rel) for rel in WATCHED]
    registry = registry_dir()
    if root == REPO_ROOT and registry != (REPO_ROOT / "registry").resolve():
        folders.append(("$MONITOR_REGISTRY_DIR", registry))
    for label, folder in folders:
        for path in _files(folder):
            name = path.relative_to(folder).as_posix() if path != folder else ""
            digest.update(f"{label}/{name}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for package in PACKAGES:
        try:
            digest.update(f"{package}={version(package)};".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=none;".encode())
    for package in DBT_ENV_PACKAGES:  # from the dbt environment (.venv-dbt)
        digest.update(f"dbt-env:{package}={dbt_env_version(package) or 'none'};".encode())
    digest.update(f"microdata={_microdata_identity()}".encode())
    return digest.hexdigest()


def _microdata_identity() -> str:
    from pipelines.sources.microdata.file import configured_file

    path = configured_file()
    if path is None:
        return "none"
    try:
        stat = path.stat()
    except OSError:
        return f"{path}:missing"
    return f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
