"""Assertions the engine trials share: a refresh that built and published on the engine, the
dbt unit tests there, marts, published tables and microdata cells equal to DuckDB's, cell for
cell (floats within 1e-9 relative); and a home with the reference run's vintages for a
refresh on an engine."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from pipelines.warehouse.engines.compare import compare_tables
from pipelines.warehouse.engines.read import read_table, table_names


def assert_refresh_built(out: str) -> None:
    """The summary of a `monitor refresh` on an engine: published, every model built and
    every dbt data test passed there."""
    assert "result: PUBLISHED" in out and "models quality gate: passed" in out, out[-3000:]
    built = re.search(r"dbt build: (\d+) models, (\d+)/(\d+) tests passed", out)
    assert built, out[-3000:]
    models, passed, tests = map(int, built.groups())
    assert models >= 40 and passed == tests >= 157, built.group(0)


def assert_unit_tests_pass(engine: str, where, target_path: Path) -> str:
    """Every dbt unit test of the project passes on `engine` (`dbt test`: `dbt build
    --select test_type:unit` selects nothing); returns dbt's output."""
    from pipelines.warehouse.engines.dbt import dbt_run

    unit = dbt_run("test", engine, where, target_path, ["--select", "test_type:unit"])
    print(f"\ndbt unit tests on {engine}: {unit.seconds:.1f}s {unit.statuses}")
    assert unit.ok, unit.output[-6000:]
    assert unit.statuses == {"pass": unit_tests_in_project()}, unit.statuses
    return unit.output


def unit_tests_in_project() -> int:
    """The dbt unit tests of the project (its manifest, built by `monitor prepare`)."""
    from pipelines.settings import DBT_PROJECT_DIR

    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    assert manifest["unit_tests"], "the project has dbt unit tests"
    return len(manifest["unit_tests"])


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


def assert_refresh_microdata_equal(out: str, home: Path, reference_home: Path, path) -> None:
    """The microdata cells a refresh computed on an engine equal the DuckDB reference run's on
    the same file (`path`), cell for cell with their suppressions (raw.microdata__lfs_aggregates,
    its computation time aside), and its summary counts the same suppressions per disclosure
    rule as DuckDB's aggregation (a cell may break several rules; the table names one)."""
    from pipelines.settings import config
    from pipelines.sources.microdata.aggregate import aggregate
    from pipelines.sources.microdata.disclosure import Rules

    def cells(db: Path):
        """The table without its computation time, and the set of those times."""
        columns, rows = read_table("duckdb", "raw", "microdata__lfs_aggregates", db)
        at = columns.index("computed_at")
        kept = [c for c in columns if c != "computed_at"]
        return (kept, [row[:at] + row[at + 1 :] for row in rows]), {row[at] for row in rows}

    reference, reference_times = cells(reference_home / "warehouse.duckdb")
    computed, times = cells(home / "warehouse.duckdb")
    # the home began as a copy of the reference: its cells must be this refresh's own
    assert min(times) > max(reference_times), (min(times), max(reference_times))
    compared = compare_tables("microdata cells", reference, computed)
    assert compared.equal, str(compared)
    expected = aggregate(path, Rules.from_config(config()))
    found = re.search(r"-> (\d+) cells, (\d+) suppressed \(([^)]*)\)", out)
    assert found, out[-3000:]
    by_rule = dict(part.rsplit(" ", 1) for part in found.group(3).split(", "))
    assert (int(found.group(1)), int(found.group(2))) == (
        expected.cells.height,
        expected.suppressed,
    )
    assert {rule: int(n) for rule, n in by_rule.items()} == expected.suppressed_by_rule
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
