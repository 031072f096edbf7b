"""The fingerprint of everything besides the raw files that decides what a refresh publishes:
registry, config, dbt project, expectations, the pipeline's code, the versions of the tools,
and the configured microdata file. Recorded with each publication (`inputs_fingerprint`)
so that a refresh can tell, cheaply and honestly, that nothing changed since."""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pipelines.settings import REPO_ROOT, registry_dir
from pipelines.warehouse.dbt_project import add_dbt_env, add_files

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
PACKAGES = (
    "dagster",
    "dagster-dbt",
    "duckdb",
    "great-expectations",
    "polars",
    "pandas",
    "pyarrow",
)


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
        add_files(digest, label, folder)
    for package in PACKAGES:
        try:
            digest.update(f"{package}={version(package)};".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=none;".encode())
    add_dbt_env(digest)
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
