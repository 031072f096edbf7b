"""Weighted indicators by breakdown from a microdata file, with standard errors and
disclosure control, in an in-memory DuckDB with a memory limit (spilling to a temp folder).

The file is read and checked by `schema.py` (DuckDB's readers); the cells are computed by the
portable SQL steps of `cells.py` and protected by those of `disclosure.py`, which this module
materialises one by one. Only disclosure-controlled aggregates leave it. Formulas and rules:
docs/microdata.md.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from pipelines.sources.microdata import cells, disclosure
from pipelines.sources.microdata.disclosure import Rules
from pipelines.sources.microdata.schema import (
    open_source,
    rules_for,
    typed_select,
    validate,
    violation,
)

DESIGN = "linearised_strata_psu"  # Taylor linearisation over PSUs within strata
RECORDS = "linearised_records"  # the same with each record as its own unit (no design info)
#: how `is_significant` is decided (mart_microdata_gaps): the design-based SE, the records SE
#: inflated by Kish's design effect, or not at all when the variance ignores the design
SIGNIFICANCE = {"design": "design_based", "inflate_deff_kish": "records_inflated_deff_kish"}
NOT_ASSESSED = "not_assessed"
RECORDS_ONLY_CHOICES = ("not_assessed", "inflate_deff_kish")


@dataclass(frozen=True)
class Engine:
    """DuckDB settings for one run: memory limit (e.g. '3GB'; None: DuckDB's default), the
    folder it spills to (None: a temporary one, removed afterwards) and threads."""

    memory_limit: str | None = None
    temp_directory: Path | None = None
    threads: int | None = None

    @classmethod
    def from_config(cls, config: dict) -> Engine:
        micro = config.get("microdata") or {}
        return cls(memory_limit=micro.get("memory_limit") or None)


@dataclass
class Result:
    """The published cells and what disclosure control did to them."""

    cells: pl.DataFrame
    suppressed_by_rule: dict[str, int] = field(default_factory=dict)
    suppressed: int = 0
    secondary_rounds: int = 0
    #: with keep_cells: every cell as computed, before disclosure control (exact counts,
    #: not-stated groups included) -- for tests and benchmarks, never for publication
    computed: pl.DataFrame | None = None


def aggregate_file(
    path: Path,
    rules: Rules,
    engine: Engine | None = None,
    records_only_significance: str = NOT_ASSESSED,
) -> pl.DataFrame:
    """Validate the file and return one row per cell, disclosure control applied."""
    return aggregate(path, rules, engine, records_only_significance).cells


def aggregate(
    path: Path,
    rules: Rules,
    engine: Engine | None = None,
    records_only_significance: str = NOT_ASSESSED,
    keep_cells: bool = False,
) -> Result:
    if records_only_significance not in RECORDS_ONLY_CHOICES:
        raise ValueError(
            f"microdata.records_only_significance: {records_only_significance!r} is not one of "
            f"{', '.join(RECORDS_ONLY_CHOICES)}"
        )
    engine = engine or Engine()
    spill = engine.temp_directory or Path(tempfile.mkdtemp(prefix="monitor-microdata-"))
    con = duckdb.connect()  # in memory: microdata never touch the warehouse file
    try:
        con.execute("set preserve_insertion_order = false")
        con.execute("set enable_progress_bar = false")
        con.execute(f"set temp_directory = '{_quoted(spill)}'")
        if engine.memory_limit:
            con.execute(f"set memory_limit = '{_quoted(engine.memory_limit)}'")
        if engine.threads:
            con.execute(f"set threads = {int(engine.threads)}")
        result = _run(con, Path(path), rules, records_only_significance)
        if keep_cells:
            computed = con.sql(f"select {cells.indicator_id()} as indicator_id, * from cells")
            result.computed = pl.from_arrow(computed.to_arrow_table())
        return result
    finally:
        con.close()
        if engine.temp_directory is None:
            shutil.rmtree(spill, ignore_errors=True)


def _run(con: duckdb.DuckDBPyConnection, path: Path, rules: Rules, records_only: str) -> Result:
    columns = open_source(con, path)
    design = "psu" in columns
    checks = rules_for(columns)
    bad = " or ".join(violation(r, columns) for r in checks)
    con.execute(
        "create or replace temp view checked as "
        f"select {typed_select(checks, columns)}, {bad} as bad from microdata_raw"
    )
    for step in cells.scan_steps(design):
        _materialise(con, step.name, step.sql, step.view)
    rows, bad_rows = con.execute("select sum(n_rows), sum(bad_rows) from finest").fetchall()[0]
    if not rows or bad_rows:
        validate(con, path, columns)  # names the column, first row and value, and raises
    for step in cells.cell_steps(design):
        _materialise(con, step.name, step.sql, step.view)

    def materialise(name: str, sql: str) -> None:
        _materialise(con, name, sql)

    def scalar(sql: str) -> int:
        return int(con.execute(sql).fetchall()[0][0] or 0)

    materialise("primary_flags", disclosure.primary_sql(rules))
    status, rounds = disclosure.secondary_suppression(materialise, scalar, rules)
    if design:
        significance = SIGNIFICANCE["design"]
    else:
        significance = SIGNIFICANCE.get(records_only, NOT_ASSESSED)
    published = con.sql(
        disclosure.published_sql(status, rules, DESIGN if design else RECORDS, significance)
    )
    frame = pl.from_arrow(published.to_arrow_table()).with_columns(
        is_low_reliability=pl.col("status") == "low_reliability",
        is_suppressed=pl.col("status") == "suppressed",
    )
    counts = con.execute(disclosure.counts_sql(status)).fetchall()[0]
    by_rule = dict(zip(disclosure.RULES, (int(c or 0) for c in counts[:4]), strict=True))
    return Result(frame, by_rule, int(counts[4] or 0), rounds)


def _materialise(con: duckdb.DuckDBPyConnection, name: str, sql: str, view: bool = False) -> None:
    con.execute(f"create or replace temp {'view' if view else 'table'} {name} as {sql}")


def _quoted(value: object) -> str:
    return str(value).replace("'", "''")
