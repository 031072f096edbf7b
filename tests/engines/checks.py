"""Assertions the engine trials share: a passed dbt build, marts, published tables and
microdata cells equal to DuckDB's, cell for cell (floats within 1e-9 relative); and a home
with the reference run's vintages for a refresh on an engine."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines.warehouse.engines.compare import compare_tables
from pipelines.warehouse.engines.read import read_table, table_names


def assert_build_passed(run, engine: str) -> None:
    assert run.ok, f"dbt build on {engine} failed:\n{run.output[-6000:]}"
    assert set(run.statuses) <= {"success", "pass"}, run.statuses
    assert sum(run.statuses.values()) >= 197  # 40 models, 157 data tests, and the unit tests


def assert_marts_equal(engine: str, where, reference_db) -> None:
    marts = table_names("duckdb", "marts", reference_db)
    assert table_names(engine, "marts", where) == marts
    compared = [
        compare_tables(
            name,
            read_table("duckdb", "marts", name, reference_db),
            read_table(engine, "marts", name, where),
        )
        for name in marts
    ]
    unequal = [str(c) for c in compared if not c.equal]
    assert not unequal, "\n".join(unequal)
    rows = {c.name: c.rows_left for c in compared}
    assert rows["fct_indicator_values"] > 20_000 and rows["mart_microdata_gaps"] > 0, rows


def assert_same_microdata_cells(engine: str, where, path) -> None:
    """The microdata aggregation (cells, standard errors, disclosure control) on `engine`
    gives the same cells and suppressions as on DuckDB, on the same file (`path`)."""
    from pipelines.settings import config
    from pipelines.sources.microdata.aggregate import aggregate
    from pipelines.sources.microdata.disclosure import Rules
    from pipelines.sources.microdata.on_engine import aggregate_on

    rules = Rules.from_config(config())
    expected, got = aggregate(path, rules), aggregate_on(engine, where, path, rules)

    def table(frame):
        return list(frame.columns), [tuple(row) for row in frame.iter_rows()]

    compared = compare_tables("microdata cells", table(expected.cells), table(got.cells))
    assert compared.equal, str(compared)
    assert got.suppressed_by_rule == expected.suppressed_by_rule
    assert (got.suppressed, got.secondary_rounds) == (
        expected.suppressed,
        expected.secondary_rounds,
    )
    assert expected.suppressed > 0 and compared.rows_left > 100  # disclosure control did work


PUBLICATION_TABLES = {"publication_info", "publication_log", "quality_results"}


def home_like_reference(reference_home: Path, tmp_path: Path) -> Path:
    """A MONITOR_HOME with the reference run's vintages (so that the snapshots are the same),
    without its Dagster storage, logs and report."""
    home = tmp_path / "home"
    shutil.copytree(
        reference_home, home, ignore=shutil.ignore_patterns("dagster", "logs", "report")
    )
    return home


def assert_published_equal(reference_home: Path, engine: str, schema: str, where) -> None:
    """Every published mart of the reference run equals the one in `schema` on `engine`
    (the publication's own tables aside: ids and times differ), the same tables present."""
    reference_db = reference_home / "published" / "monitor.duckdb"
    marts = sorted(set(table_names("duckdb", "main", reference_db)) - PUBLICATION_TABLES)
    assert set(table_names(engine, schema, where)) == {*marts, *PUBLICATION_TABLES}
    compared = [
        compare_tables(
            name,
            read_table("duckdb", "main", name, reference_db),
            read_table(engine, schema, name, where),
        )
        for name in marts
    ]
    unequal = [str(c) for c in compared if not c.equal]
    assert not unequal, "\n".join(unequal)
    rows = {c.name: c.rows_left for c in compared}
    assert rows["fct_indicator_values"] > 20_000 and rows["mart_microdata_gaps"] > 0, rows
