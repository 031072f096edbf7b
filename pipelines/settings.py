"""Where things live and the configuration file; every path can be moved with an env var.

- MONITOR_HOME          the warehouse folder (default: `<repo>/warehouse`)
- MONITOR_PUBLISHED_DB  the published DuckDB file (default: `$MONITOR_HOME/published/monitor.duckdb`)
- MONITOR_REGISTRY_DIR  the registry folder (default: `<repo>/registry`; the schemas stay in the repo)
- MONITOR_DBT_ENV       the virtualenv dbt runs from (default: `<repo>/.venv-dbt`, made by `make install`)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
REGISTRY_SCHEMA_DIR = REPO_ROOT / "registry" / "schema"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
CONFIG_FILE = REPO_ROOT / "config" / "monitor.yaml"
SAMPLE_DIR = Path(__file__).resolve().parent / "sample"


@dataclass(frozen=True)
class Paths:
    home: Path
    published_db: Path

    @property
    def raw(self) -> Path:
        return self.home / "raw"

    @property
    def warehouse_db(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def report_dir(self) -> Path:
        return self.published_db.parent / "report"

    @property
    def quality(self) -> Path:
        return self.home / "quality"

    @property
    def ledger(self) -> Path:
        return self.home / "ledger" / "publications.jsonl"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    def ensure(self) -> Paths:
        for folder in (
            self.raw,
            self.quality,
            self.ledger.parent,
            self.dagster_home,
            self.published_db.parent,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def registry_dir() -> Path:
    """The registry folder, read from the environment each call (tests use a copy)."""
    return Path(os.environ.get("MONITOR_REGISTRY_DIR") or REPO_ROOT / "registry").resolve()


class DbtNotInstalled(RuntimeError):
    """The dbt environment is missing: nothing can build the marts."""


def dbt_env_dir() -> Path:
    """The virtualenv holding dbt-core and dbt-duckdb. dbt runs in its own environment so
    that loading the Dagster definitions never imports dbt-core (docs/architecture.md)."""
    return Path(os.environ.get("MONITOR_DBT_ENV") or REPO_ROOT / ".venv-dbt").resolve()


DBT_IN_WAREHOUSE = Path(__file__).resolve().parent / "warehouse" / "dbt_in_warehouse.sh"


def dbt_executable() -> Path:
    """What runs dbt: the `dbt` of that environment, started in the warehouse's folder
    (`warehouse/dbt_in_warehouse.sh`: profiles.yml opens the warehouse by its file name, so
    dbt's partial-parse state holds for every home); a clear error when it is not installed."""
    exe = dbt_env_dir() / "bin" / "dbt"
    if not exe.is_file():
        raise DbtNotInstalled(
            f"dbt is not installed: {exe} does not exist. `make install` creates the dbt"
            " environment (MONITOR_DBT_ENV points elsewhere)."
        )
    return DBT_IN_WAREHOUSE


def dbt_env_site_packages() -> list[str]:
    """The dbt environment's site-packages folder(s), to read its package metadata."""
    return [str(p) for p in (dbt_env_dir() / "lib").glob("python*/site-packages")]


def dbt_env_version(package: str) -> str | None:
    """The version of `package` installed in the dbt environment (None when it is not)."""
    from importlib.metadata import distributions

    found = [d.version for d in distributions(name=package, path=dbt_env_site_packages())]
    return found[0] if found else None


def paths() -> Paths:
    """Current paths, read from the environment each call (tests move MONITOR_HOME)."""
    home = Path(os.environ.get("MONITOR_HOME") or REPO_ROOT / "warehouse").resolve()
    published = os.environ.get("MONITOR_PUBLISHED_DB")
    published_db = Path(published).resolve() if published else home / "published" / "monitor.duckdb"
    return Paths(home=home, published_db=published_db)


def export_env() -> Paths:
    """Pin the paths into the environment so dbt (a subprocess) sees the same warehouse."""
    current = paths()
    os.environ["MONITOR_HOME"] = str(current.home)
    os.environ["MONITOR_WAREHOUSE_DB"] = str(current.warehouse_db)
    os.environ.setdefault("DAGSTER_HOME", str(current.dagster_home))
    return current


@cache
def _config_cached(path: str, mtime: float) -> dict[str, Any]:
    import yaml

    with open(path, encoding="utf-8") as handle:
        # libyaml's loader when PyYAML has it (~10x faster, the same documents)
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


def config() -> dict[str, Any]:
    """The parsed `config/monitor.yaml` (re-read when the file changes)."""
    return _config_cached(str(CONFIG_FILE), CONFIG_FILE.stat().st_mtime)
