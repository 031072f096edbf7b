"""Which engine builds the warehouse, and how to reach it.

`warehouse.engine` in config/monitor.yaml (duckdb, postgres or spark), overridden by the
environment variable MONITOR_WAREHOUSE_ENGINE. Connection settings are read from the
environment only, never from a file in the repository:

| variable | default |
|---|---|
| MONITOR_POSTGRES_HOST, MONITOR_POSTGRES_PORT | 127.0.0.1, 5432 |
| MONITOR_POSTGRES_DB, MONITOR_POSTGRES_USER | monitor, monitor |
| MONITOR_POSTGRES_PASSWORD | (empty: peer or trust authentication) |
| MONITOR_SPARK_HOST, MONITOR_SPARK_PORT, MONITOR_SPARK_USER | 127.0.0.1, 10000, monitor |
| MONITOR_SPARK_STAGING_DIR | `$MONITOR_HOME/spark-staging` (Parquet the Thrift Server reads) |

`str()` of a settings object never shows the password.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from pipelines.settings import config, paths

ENGINES = ("duckdb", "postgres", "spark")


class UnknownEngine(ValueError):
    """`warehouse.engine` names no engine this project knows."""


def engine() -> str:
    """The configured engine: MONITOR_WAREHOUSE_ENGINE, else warehouse.engine, else duckdb."""
    chosen = os.environ.get("MONITOR_WAREHOUSE_ENGINE") or (
        (config().get("warehouse") or {}).get("engine") or "duckdb"
    )
    chosen = str(chosen).strip().lower()
    if chosen not in ENGINES:
        raise UnknownEngine(
            f"warehouse.engine is {chosen!r} (config/monitor.yaml or MONITOR_WAREHOUSE_ENGINE);"
            f" choose one of {', '.join(ENGINES)}"
        )
    return chosen


@dataclass(frozen=True)
class PostgresSettings:
    host: str = "127.0.0.1"
    port: int = 5432
    dbname: str = "monitor"
    user: str = "monitor"
    password: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> PostgresSettings:
        env = os.environ if env is None else env
        return cls(
            host=env.get("MONITOR_POSTGRES_HOST", cls.host),
            port=int(env.get("MONITOR_POSTGRES_PORT", cls.port)),
            dbname=env.get("MONITOR_POSTGRES_DB", cls.dbname),
            user=env.get("MONITOR_POSTGRES_USER", cls.user),
            password=env.get("MONITOR_POSTGRES_PASSWORD", ""),
        )

    def connect_kwargs(self) -> dict[str, object]:
        """Keyword arguments of psycopg2.connect."""
        return {
            "host": self.host,
            "port": self.port,
            "dbname": self.dbname,
            "user": self.user,
            "password": self.password or None,
        }

    def url(self, driver: str = "postgresql+psycopg2") -> str:
        """A SQLAlchemy URL (dagster-postgres needs the psycopg2 driver named)."""
        auth = quote(self.user, safe="")
        if self.password:
            auth += ":" + quote(self.password, safe="")
        return f"{driver}://{auth}@{self.host}:{self.port}/{quote(self.dbname, safe='')}"

    def env(self) -> dict[str, str]:
        """The variables that reproduce these settings (for a subprocess)."""
        return {
            "MONITOR_POSTGRES_HOST": self.host,
            "MONITOR_POSTGRES_PORT": str(self.port),
            "MONITOR_POSTGRES_DB": self.dbname,
            "MONITOR_POSTGRES_USER": self.user,
            "MONITOR_POSTGRES_PASSWORD": self.password,
        }

    def __str__(self) -> str:
        hidden = ":***" if self.password else ""
        return f"postgresql://{self.user}{hidden}@{self.host}:{self.port}/{self.dbname}"


@dataclass(frozen=True)
class SparkSettings:
    host: str = "127.0.0.1"
    port: int = 10000
    user: str = "monitor"
    staging_dir: Path | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SparkSettings:
        env = os.environ if env is None else env
        staging = env.get("MONITOR_SPARK_STAGING_DIR")
        return cls(
            host=env.get("MONITOR_SPARK_HOST", cls.host),
            port=int(env.get("MONITOR_SPARK_PORT", cls.port)),
            user=env.get("MONITOR_SPARK_USER", cls.user),
            staging_dir=Path(staging) if staging else None,
        )

    @property
    def staging(self) -> Path:
        """Where the loader writes Parquet for Spark (a folder every Spark node can read)."""
        return self.staging_dir or paths().home / "spark-staging"

    def env(self) -> dict[str, str]:
        return {
            "MONITOR_SPARK_HOST": self.host,
            "MONITOR_SPARK_PORT": str(self.port),
            "MONITOR_SPARK_USER": self.user,
            "MONITOR_SPARK_STAGING_DIR": str(self.staging),
        }

    def __str__(self) -> str:
        return f"spark thrift://{self.user}@{self.host}:{self.port}"
