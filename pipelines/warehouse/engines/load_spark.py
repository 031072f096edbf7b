"""Load the dbt sources from the DuckDB build warehouse into Spark, as Parquet tables.

DuckDB writes each source table as Parquet (MAP and list columns become Spark maps and
arrays) into a new folder under the staging directory, which every Spark node must be able
to read (a shared file system or an object store in production; a local folder for the
local cluster). Spark then gets an external table over each folder; the previous load's
tables are dropped first and its folder removed after, so a load never reads half of one.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.warehouse.engines.settings import SparkSettings
from pipelines.warehouse.engines.sources import SourceTable, source_tables
from pipelines.warehouse.engines.spark_sql import spark_connection


def load_spark(
    warehouse_db: Path, settings: SparkSettings, tables: tuple[SourceTable, ...] | None = None
) -> dict[str, int]:
    """Write every dbt source table as Parquet and (re)create its Spark table."""
    tables = tables or source_tables()
    load_dir = settings.staging / datetime.now(UTC).strftime("load-%Y%m%dT%H%M%S%fZ")
    loaded: dict[str, int] = {}
    duck = duckdb.connect(str(warehouse_db), read_only=True)
    try:
        duck.execute("set TimeZone = 'UTC'")
        for table in tables:
            folder = load_dir / table.schema / table.name
            folder.mkdir(parents=True)
            duck.execute(
                f"copy (select * from {table.qualified}) to '{folder / 'part-0.parquet'}'"
                " (format parquet)"
            )
            loaded[f"{table.schema}.{table.name}"] = duck.execute(
                f"select count(*) from {table.qualified}"
            ).fetchall()[0][0]
    finally:
        duck.close()
    with spark_connection(settings) as cur:
        for schema in sorted({t.schema for t in tables}):
            cur.execute(f"create database if not exists {schema}")
        for table in tables:
            name = f"{table.schema}.`{table.name}`"
            location = (load_dir / table.schema / table.name).resolve().as_uri()
            cur.execute(f"drop table if exists {name}")
            cur.execute(f"create table {name} using parquet location '{location}'")
    for old in settings.staging.glob("load-*"):
        if old != load_dir:
            shutil.rmtree(old, ignore_errors=True)
    return loaded
