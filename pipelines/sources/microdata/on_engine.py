"""The microdata aggregation (cells, standard errors, disclosure control) on PostgreSQL or
Spark: the same SQL steps as on DuckDB (pipelines/sources/microdata: cells.py, disclosure.py),
materialised on the engine instead of in an in-memory DuckDB.

DuckDB still opens and checks the file (schema.py: the typed columns, a row-numbered error
for a bad value; a streaming pass in constant memory) and hands the typed records to the
engine: PostgreSQL gets them by COPY into a temporary table, Spark as Parquet in its staging
folder (a shared folder or object store on a cluster). Every later step (the grouping sets
over all records, the disclosure rounds) runs on the engine in one session, and only the
disclosure-controlled cells come back. docs/scaling.md, "Microdata on an engine".
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from pipelines.sources.microdata import cells, disclosure
from pipelines.sources.microdata.aggregate import (
    DESIGN,
    NOT_ASSESSED,
    RECORDS,
    SIGNIFICANCE,
    Result,
)
from pipelines.sources.microdata.disclosure import Rules
from pipelines.sources.microdata.schema import (
    open_source,
    rules_for,
    typed_select,
    validate,
    violation,
)
from pipelines.warehouse.engines.load_postgres import postgres_type
from pipelines.warehouse.engines.settings import PostgresSettings, SparkSettings
from pipelines.warehouse.engines.sources import Column

#: run one statement: (column names, rows); both empty for a statement without rows
Execute = Callable[[str], tuple[list[str], list[tuple]]]


def aggregate_on(
    engine: str,
    settings: PostgresSettings | SparkSettings,
    path: Path,
    rules: Rules,
    records_only_significance: str = NOT_ASSESSED,
) -> Result:
    """The cells of `path` computed on `engine`, as `aggregate()` computes them on DuckDB."""
    with tempfile.TemporaryDirectory(prefix="monitor-microdata-") as tmp:
        design, typed_columns, records = _typed_records(path, Path(tmp))
        with _session(engine, settings, typed_columns, records) as (execute, materialise):
            return _run(execute, materialise, design, rules, records_only_significance)


def _typed_records(path: Path, folder: Path) -> tuple[bool, list[Column], Path]:
    """Check the file in DuckDB and write its typed records (and `bad`) as Parquet."""
    con = duckdb.connect()
    try:
        columns = open_source(con, path)
        checks = rules_for(columns)
        bad = " or ".join(violation(r, columns) for r in checks)
        con.execute(
            "create temp view checked as "
            f"select {typed_select(checks, columns)}, {bad} as bad from microdata_raw"
        )
        rows, bad_rows = con.execute(
            "select count(*), count(*) filter (where bad) from checked"
        ).fetchall()[0]
        if not rows or bad_rows:
            validate(con, path, columns)  # names the column, first row and value, and raises
        typed_columns = [
            Column(name, dtype) for name, dtype, *_ in con.execute("describe checked").fetchall()
        ]
        records = folder / "checked.parquet"
        con.execute(f"copy checked to '{records}' (format parquet)")
        return "psu" in columns, typed_columns, records
    finally:
        con.close()


@contextmanager
def _session(engine: str, settings, columns: list[Column], records: Path) -> Iterator:
    if engine == "postgres":
        with _postgres(settings, columns, records) as session:
            yield session
    elif engine == "spark":
        with _spark(settings, records) as session:
            yield session
    else:
        raise ValueError(f"no engine session for {engine!r}")


@contextmanager
def _postgres(settings: PostgresSettings, columns: list[Column], records: Path) -> Iterator:
    import psycopg2

    csv_path = records.with_suffix(".csv")
    with duckdb.connect() as duck:
        duck.execute(f"copy (select * from '{records}') to '{csv_path}' (format csv, header false)")
    con = psycopg2.connect(**settings.connect_kwargs())
    try:
        cur = con.cursor()
        spec = ", ".join(f'"{c.name}" {postgres_type(c)}' for c in columns)
        cur.execute(f"create temp table checked ({spec})")
        with open(csv_path, encoding="utf-8") as handle:
            cur.copy_expert("copy checked from stdin with (format csv)", handle)
        cur.execute("analyze checked")
        cur.execute("set enable_nestloop = off")

        def execute(sql: str) -> tuple[list[str], list[tuple]]:
            cur.execute(sql)
            if not cur.description:
                return [], []
            return [d[0].split(".")[-1] for d in cur.description], cur.fetchall()

        made: dict[str, str] = {}  # name -> view or table

        def materialise(name: str, sql: str, view: bool = False) -> None:
            if name in made:
                cur.execute(f"drop {made[name]} {name}")
            made[name] = "view" if view else "table"
            cur.execute(f"create temp {'view' if view else 'table'} {name} as {sql}")
            if not view:
                cur.execute(f"analyze {name}")

        yield execute, materialise
        con.rollback()  # temporary tables only: nothing to keep
    finally:
        con.close()


@contextmanager
def _spark(settings: SparkSettings, records: Path) -> Iterator:
    """Each step a Parquet table of a scratch database: a cached temporary view keeps the
    whole lineage of the steps before it in its plan, and the plans of the disclosure rounds
    (each reads the previous one) grow until the Thrift Server runs out of memory."""
    from pipelines.warehouse.engines.spark_sql import spark_connection

    run = uuid.uuid4().hex[:12]
    folder = settings.staging / f"microdata-{run}"
    folder.mkdir(parents=True)
    shutil.copy(records, folder / records.name)
    database = f"monitor_microdata_{run}"
    try:
        with spark_connection(settings) as cur:

            def execute(sql: str) -> tuple[list[str], list[tuple]]:
                cur.execute(sql)
                if not cur.description:
                    return [], []
                return [d[0].split(".")[-1] for d in cur.description], cur.fetchall()

            def materialise(name: str, sql: str, view: bool = False) -> None:
                if view:
                    cur.execute(f"create or replace temporary view {name} as {sql}")
                    return
                cur.execute(f"drop table if exists {name}")
                cur.execute(f"create table {name} using parquet as {sql}")

            execute(f"create database {database} location '{folder / 'tables'}'")
            try:
                execute(f"use {database}")
                execute(
                    f"create temporary view checked using parquet options (path '{folder / records.name}')"
                )
                yield execute, materialise
            finally:
                execute("use default")
                execute(f"drop database if exists {database} cascade")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(execute: Execute, materialise, design: bool, rules: Rules, records_only: str) -> Result:
    for step in [*cells.scan_steps(design), *cells.cell_steps(design)]:
        materialise(step.name, step.sql, step.view)
    materialise("primary_flags", disclosure.primary_sql(rules))
    status, rounds = disclosure.secondary_suppression(
        materialise, lambda sql: int(execute(sql)[1][0][0] or 0), rules
    )
    significance = (
        SIGNIFICANCE["design"] if design else SIGNIFICANCE.get(records_only, NOT_ASSESSED)
    )
    published = disclosure.published_sql(status, rules, DESIGN if design else RECORDS, significance)
    names, rows = execute(published)
    frame = pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)
    frame = frame.with_columns(
        is_low_reliability=pl.col("status") == "low_reliability",
        is_suppressed=pl.col("status") == "suppressed",
    )
    counts = execute(disclosure.counts_sql(status))[1][0]
    by_rule = dict(zip(disclosure.RULES, (int(c or 0) for c in counts[:4]), strict=True))
    return Result(frame, by_rule, int(counts[4] or 0), rounds)
