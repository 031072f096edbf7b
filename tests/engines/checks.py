"""Assertions the engine trials share: a passed dbt build, marts and microdata cells equal to
DuckDB's, cell for cell (floats within 1e-9 relative)."""

from __future__ import annotations

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
