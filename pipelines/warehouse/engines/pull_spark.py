"""Read the marts (and the relations the gate names) from Spark into the DuckDB build
warehouse, as Parquet: the way back of `load_spark`.

Spark writes each relation as Parquet into a new folder under the staging directory (which
every Spark node and this process must reach: a shared file system or an object store in
production, a local folder for the local cluster), DuckDB reads the files into a schema of
the same name, all in one DuckDB transaction, and the folder is removed. Types travel in
the Parquet schema (maps, arrays, decimals, timestamps), not through a text format. The
relations are read one after the other: Spark has no snapshot across tables, and nothing
else writes them while a refresh holds the warehouse pool.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from pipelines.warehouse.engines.into_duckdb import write_pulled
from pipelines.warehouse.engines.settings import SparkSettings
from pipelines.warehouse.engines.spark_sql import spark_connection


def pull_spark(
    settings: SparkSettings, duckdb_path: Path, more: dict[str, list[str]] | None = None
) -> dict[str, int]:
    """Every table of Spark's `marts` database (and the relations `more` names) into the
    DuckDB file, each schema replaced; rows per relation."""
    folder = settings.staging / datetime.now(UTC).strftime("pull-%Y%m%dT%H%M%S%fZ")
    try:
        with spark_connection(settings) as cur:
            cur.execute("show views in marts")
            views = {r[1] for r in cur.fetchall()}
            cur.execute("show tables in marts")
            tables = sorted(r[1] for r in cur.fetchall() if r[1] not in views and not r[2])
            wanted = {"marts": tables, **(more or {})}
            for schema, names in wanted.items():
                for name in names:
                    target = (folder / schema / name).resolve().as_uri()
                    cur.execute(
                        f"insert overwrite directory '{target}' using parquet "
                        f"select * from {schema}.`{name}`"
                    )
        return _read_into(duckdb_path, folder, wanted)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _read_into(duckdb_path: Path, folder: Path, wanted: dict[str, list[str]]) -> dict[str, int]:
    tables = []
    for schema, names in wanted.items():
        for name in names:
            files = sorted(str(p) for p in (folder / schema / name).glob("*.parquet"))
            if not files:
                raise LookupError(f"Spark wrote no Parquet file for {schema}.{name}")
            tables.append(
                (f"{schema}.{name}", f'{schema}."{name}"', "select * from read_parquet(?)", [files])
            )
    return write_pulled(duckdb_path, wanted, tables)
