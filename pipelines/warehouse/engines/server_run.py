"""A refresh with the warehouse on a server engine (warehouse.engine: postgres or spark).

The steps stay the refresh's own (docs/scaling.md, "A refresh on a server"):

- ingest lands the raw vintages in the DuckDB build warehouse (snapshots, vintages, the raw
  gate), and `load_sources` copies dbt's sources from there into the engine (PostgreSQL
  COPY, Parquet for Spark) before dbt builds;
- dbt builds every model, data test included, on the engine (`dbt_args`, `dbt_environ`);
- `pull_marts` then reads the engine's marts into the build warehouse's `marts` schema, so
  that the Great Expectations gate validates frames pulled from the engine with the one
  suite code path, and publication takes exactly what the gate validated;
- on PostgreSQL, `pipelines/publish/postgres.py` puts the publication in a
  `published` schema for committees.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipelines.warehouse.engines.into_duckdb import write_pulled
from pipelines.warehouse.engines.settings import PostgresSettings, SparkSettings, engine

# information_schema data_type on PostgreSQL -> DuckDB column type
POSTGRES_TO_DUCKDB = {
    "text": "VARCHAR",
    "character varying": "VARCHAR",
    "double precision": "DOUBLE",
    "real": "FLOAT",
    "smallint": "SMALLINT",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "numeric": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp with time zone": "TIMESTAMP WITH TIME ZONE",
    "timestamp without time zone": "TIMESTAMP",
    "jsonb": "JSON",
    "json": "JSON",
}


class UnsupportedColumn(TypeError):
    """A mart column whose engine type has no DuckDB counterpart here."""


def server_engine() -> str | None:
    """postgres or spark when the warehouse is on a server, None for DuckDB."""
    chosen = engine()
    return None if chosen == "duckdb" else chosen


def engine_settings(chosen: str) -> PostgresSettings | SparkSettings:
    return PostgresSettings.from_env() if chosen == "postgres" else SparkSettings.from_env()


def dbt_environ(chosen: str) -> None:
    """Put what the dbt profile's `chosen` target reads into this process's environment."""
    if chosen == "postgres":
        os.environ["DBT_ENV_SECRET_POSTGRES_PASSWORD"] = os.environ.get(
            "MONITOR_POSTGRES_PASSWORD", ""
        )


def dbt_args(chosen: str) -> list[str]:
    return ["--target", chosen]


def load_sources(chosen: str, warehouse_db: Path) -> dict[str, int]:
    """dbt's sources from the build warehouse into the engine; rows per table."""
    if chosen == "postgres":
        from pipelines.warehouse.engines.load_postgres import load_postgres

        return load_postgres(warehouse_db, PostgresSettings.from_env())
    from pipelines.warehouse.engines.load_spark import load_spark

    return load_spark(warehouse_db, SparkSettings.from_env())


def gate_relations() -> dict[str, list[str]]:
    """schema -> relations the gate reads: every mart table, and the staging or intermediate
    relations a suite's query names (expectations/suites/*.json)."""
    import json
    import re

    from pipelines.settings import REPO_ROOT

    named: dict[str, set[str]] = {}
    for suite in sorted((REPO_ROOT / "expectations" / "suites").glob("*.json")):
        query = (json.loads(suite.read_text(encoding="utf-8")).get("meta") or {}).get("query") or ""
        for schema, name in re.findall(r"\b(staging|intermediate)\.(\w+)", query):
            named.setdefault(schema, set()).add(name)
    return {schema: sorted(names) for schema, names in sorted(named.items())}


def pull_marts(chosen: str, warehouse_db: Path) -> dict[str, int]:
    """Replace the build warehouse's `marts` schema (and the staging relations the gate reads)
    with the engine's (PostgreSQL: read in one snapshot; Spark: as Parquet); rows per
    relation."""
    if chosen == "spark":
        from pipelines.warehouse.engines.pull_spark import pull_spark

        return pull_spark(SparkSettings.from_env(), warehouse_db, gate_relations())
    return copy_relations(PostgresSettings.from_env(), "marts", warehouse_db, gate_relations())


def copy_relations(
    settings: PostgresSettings,
    schema: str,
    duckdb_path: Path,
    more: dict[str, list[str]] | None = None,
    into: str | None = None,
) -> dict[str, int]:
    """Every table of PostgreSQL's `schema` (and the relations `more` names), read in one
    snapshot, into the DuckDB file as tables of the same schema (or of `into`, where tables
    of the same name are replaced); rows per relation."""
    import psycopg2

    with tempfile.TemporaryDirectory(prefix="monitor-pull-") as tmp:
        con = psycopg2.connect(**settings.connect_kwargs())
        try:
            con.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with con.cursor() as cur:
                cur.execute("set timezone = 'UTC'")
                cur.execute(
                    "select table_name from information_schema.tables "
                    "where table_schema = %s and table_type = 'BASE TABLE' order by 1",
                    [schema],
                )
                wanted = {schema: [r[0] for r in cur.fetchall()], **(more or {})}
                exported = {
                    (source, name): _copy_out(cur, source, name, Path(tmp))
                    for source, names in wanted.items()
                    for name in names
                }
            con.rollback()
        finally:
            con.close()
        csv = (
            "select * from read_csv(?, header = false, columns = {{{spec}}}, nullstr = '', "
            "allow_quoted_nulls = false, auto_detect = false, quote = '\"', escape = '\"')"
        )
        tables = [
            (
                f"{source}.{name}",
                f'{into or source}."{name}"',
                csv.format(spec=", ".join(f"'{col}': '{dtype}'" for col, dtype in cols)),
                [str(path)],
            )
            for (source, name), (cols, path) in exported.items()
        ]
        return write_pulled(duckdb_path, wanted if into is None else [], tables)


def _copy_out(cur, schema: str, name: str, folder: Path) -> tuple[list[tuple[str, str]], Path]:
    """A relation of the engine as CSV, and its columns with their DuckDB types."""
    cur.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = %s and table_name = %s order by ordinal_position",
        [schema, name],
    )
    cols = [(col, _duckdb_type(f"{schema}.{name}", col, dtype)) for col, dtype in cur.fetchall()]
    if not cols:
        raise LookupError(f"{schema}.{name} is not on the engine: did dbt build it?")
    path = folder / f"{schema}.{name}.csv"
    with open(path, "w", encoding="utf-8") as handle:
        cur.copy_expert(
            f'copy (select * from {schema}."{name}") to stdout with (format csv)', handle
        )
    return cols, path


def _duckdb_type(table: str, column: str, dtype: str) -> str:
    if dtype not in POSTGRES_TO_DUCKDB:
        raise UnsupportedColumn(f"{table}.{column}: PostgreSQL type {dtype} is not pulled")
    return POSTGRES_TO_DUCKDB[dtype]
