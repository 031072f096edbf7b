"""Read a table of the warehouse from any engine as (column names, rows of Python values).

Values are normalised so that the same cell compares equal across engines: whole-number
decimals become int and other decimals float (PostgreSQL's sum() of bigint is numeric),
timestamps become timezone-aware UTC (a naive one is taken as UTC, the session time zone
of every engine here), and PySpark-less Thrift answers keep their plain types.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipelines.warehouse.engines.settings import PostgresSettings, SparkSettings

Table = tuple[list[str], list[tuple[Any, ...]]]


def normalise(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _normalised(columns: list[str], rows: list[tuple]) -> Table:
    return columns, [tuple(normalise(v) for v in row) for row in rows]


def table_names(
    engine: str, schema: str, where: Path | PostgresSettings | SparkSettings
) -> list[str]:
    """The tables and views of `schema`, sorted."""
    if engine == "duckdb":
        sql = "select table_name from information_schema.tables where table_schema = ? order by 1"
        return [r[0] for r in _duckdb(where, sql, [schema])[1]]
    if engine == "postgres":
        sql = "select table_name from information_schema.tables where table_schema = %s order by 1"
        return [r[0] for r in _postgres(where, sql, [schema])[1]]
    return sorted(r[1] for r in _spark(where, f"show tables in {schema}")[1])


def read_table(engine: str, schema: str, table: str, where) -> Table:
    """Every row of `schema.table` on `engine` (`where`: the DuckDB file or the settings)."""
    if engine == "duckdb":
        return _duckdb(where, f'select * from {schema}."{table}"')
    if engine == "postgres":
        return _postgres(where, f'select * from {schema}."{table}"')
    return _spark(where, f"select * from {schema}.`{table}`")


def _duckdb(path: Path, sql: str, params: list | None = None) -> Table:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        cursor = con.execute(sql, params or [])
        cols = [d[0] for d in cursor.description]
        return _normalised(cols, cursor.fetchall())
    finally:
        con.close()


def _postgres(settings: PostgresSettings, sql: str, params: list | None = None) -> Table:
    import psycopg2

    con = psycopg2.connect(**settings.connect_kwargs())
    try:
        with con.cursor() as cur:
            cur.execute("set timezone = 'UTC'")
            cur.execute(sql, params)
            cols = [d[0] for d in cur.description]
            return _normalised(cols, cur.fetchall())
    finally:
        con.close()


def _spark(settings: SparkSettings, sql: str) -> Table:
    from pipelines.warehouse.engines.spark_sql import spark_connection

    with spark_connection(settings) as cur:
        cur.execute(sql)
        cols = [d[0].split(".")[-1] for d in cur.description]
        return _normalised(cols, cur.fetchall())
