"""The way back from a server engine: relations pulled from PostgreSQL (CSV from COPY) or Spark
(Parquet) written into the DuckDB build warehouse in one transaction, so the gate and the
publication never see half a pull."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb


def write_pulled(
    duckdb_path: Path,
    replace_schemas: Iterable[str],
    tables: list[tuple[str, str, str, list]],
) -> dict[str, int]:
    """Drop and re-create `replace_schemas`, then `create or replace table <target> as
    <select>` for each (label, target, select, parameters) of `tables`: rows per label."""
    pulled: dict[str, int] = {}
    duck = duckdb.connect(str(duckdb_path))
    try:
        duck.execute("set TimeZone = 'UTC'")
        duck.execute("begin")
        for schema in replace_schemas:
            duck.execute(f"drop schema if exists {schema} cascade")
            duck.execute(f"create schema {schema}")
        for label, target, select, parameters in tables:
            duck.execute(f"create or replace table {target} as {select}", parameters)
            pulled[label] = duck.execute(f"select count(*) from {target}").fetchone()[0]
        duck.execute("commit")
    finally:
        duck.close()
    return pulled
