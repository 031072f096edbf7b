"""Load the dbt sources from the DuckDB build warehouse into PostgreSQL with COPY.

One transaction for all tables: dbt (and anyone reading `raw`/`registry`) sees the previous
load or this one. A table whose columns are unchanged is truncated and refilled (the dbt
views over it stay); a changed one is dropped (with its dependent views, which the next
`dbt build` recreates) and created again. DuckDB writes each table to a CSV file (MAP as
JSON for a jsonb column, lists as PostgreSQL array literals) that COPY reads.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import duckdb

from pipelines.warehouse.engines.settings import PostgresSettings
from pipelines.warehouse.engines.sources import Column, SourceTable, columns, source_tables

# spelled as PostgreSQL's format_type() prints them (compared with an existing table)
SCALAR_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(38,0)",
    "DATE": "date",
    "TIMESTAMP": "timestamp without time zone",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    "JSON": "jsonb",
}


def copy_csv(cur, target, csv_path: Path) -> None:
    """COPY the CSV file DuckDB wrote (`_export`) into the table `target` (an sql.Identifier)."""
    from psycopg2 import sql

    with open(csv_path, encoding="utf-8") as handle:
        cur.copy_expert(
            sql.SQL("copy {} from stdin with (format csv)").format(target).as_string(cur), handle
        )


class UnsupportedType(TypeError):
    """A DuckDB column type with no PostgreSQL counterpart here."""


def postgres_type(column: Column) -> str:
    dtype = column.duckdb_type
    if dtype in SCALAR_TYPES:
        return SCALAR_TYPES[dtype]
    if dtype.startswith("DECIMAL"):
        return "numeric" + dtype[len("DECIMAL") :]
    if dtype.startswith("MAP("):
        return "jsonb"
    if dtype.endswith("[]") and dtype[:-2] in SCALAR_TYPES:
        return SCALAR_TYPES[dtype[:-2]] + "[]"
    raise UnsupportedType(f"column {column.name}: DuckDB type {dtype} has no PostgreSQL mapping")


def _export_expression(column: Column) -> str:
    """The DuckDB expression that writes the column as PostgreSQL's COPY reads it."""
    name = f'"{column.name}"'
    if column.duckdb_type.startswith("MAP("):
        return f"cast(to_json({name}) as varchar)"
    if column.duckdb_type.endswith("[]"):
        quoted = (
            "case when x is null then 'NULL' else '\"' || "
            "replace(replace(cast(x as varchar), '\\', '\\\\'), '\"', '\\\"') || '\"' end"
        )
        return f"'{{' || array_to_string(list_transform({name}, lambda x: {quoted}), ',') || '}}'"
    return name


def load_postgres(
    warehouse_db: Path, settings: PostgresSettings, tables: tuple[SourceTable, ...] | None = None
) -> dict[str, int]:
    """Copy every dbt source table into PostgreSQL; returns rows per table."""
    import psycopg2
    from psycopg2 import sql

    tables = tables or source_tables()
    loaded: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="monitor-pg-load-") as tmp:
        duck = duckdb.connect(str(warehouse_db), read_only=True)
        try:
            duck.execute("set TimeZone = 'UTC'")
            exported = [(t, *_export(duck, t, Path(tmp))) for t in tables]
        finally:
            duck.close()
        con = psycopg2.connect(**settings.connect_kwargs())
        try:
            with con, con.cursor() as cur:  # one transaction, committed on success
                cur.execute("set local timezone = 'UTC'")
                for schema in sorted({t.schema for t in tables}):
                    cur.execute(
                        sql.SQL("create schema if not exists {}").format(sql.Identifier(schema))
                    )
                for table, cols, csv_path, rows in exported:
                    _replace(cur, table, cols)
                    target = sql.Identifier(table.schema, table.name)
                    copy_csv(cur, target, csv_path)
                    cur.execute(sql.SQL("analyze {}").format(target))  # statistics for dbt's plans
                    loaded[f"{table.schema}.{table.name}"] = rows
        finally:
            con.close()
    return loaded


def _export(
    duck: duckdb.DuckDBPyConnection, table: SourceTable, folder: Path
) -> tuple[list[Column], Path, int]:
    cols = columns(duck, table)
    path = folder / f"{table.schema}.{re.sub(r'[^A-Za-z0-9_]', '_', table.name)}.csv"
    select = ", ".join(_export_expression(c) for c in cols)
    duck.execute(
        f"copy (select {select} from {table.qualified}) to '{path}' (format csv, header false)"
    )
    rows = duck.execute(f"select count(*) from {table.qualified}").fetchall()[0][0]
    return cols, path, rows


def _replace(cur, table: SourceTable, cols: list[Column]) -> None:
    """Create the table, or empty it when its columns are unchanged, or recreate it."""
    from psycopg2 import sql

    target = sql.Identifier(table.schema, table.name)
    wanted = [(c.name, postgres_type(c)) for c in cols]
    cur.execute(
        """select a.attname, format_type(a.atttypid, a.atttypmod)
        from pg_attribute a join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = %s and c.relname = %s and c.relkind = 'r'
          and a.attnum > 0 and not a.attisdropped
        order by a.attnum""",
        [table.schema, table.name],
    )
    existing = cur.fetchall()
    if existing and existing == wanted:
        cur.execute(sql.SQL("truncate table {}").format(target))
        return
    cur.execute(sql.SQL("drop table if exists {} cascade").format(target))
    cur.execute(
        sql.SQL("create table {} ({})").format(
            target,
            sql.SQL(", ").join(
                sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(dtype))
                for name, dtype in wanted
            ),
        )
    )
