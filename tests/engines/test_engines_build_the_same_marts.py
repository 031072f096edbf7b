"""The same dbt project on PostgreSQL and on Spark: the SAMPLE's raw and registry tables
loaded there (PostgreSQL COPY; Parquet read by Spark), `dbt build` there (models, data
tests, unit tests), and every mart equal to the DuckDB run's, cell for cell (floats within
1e-9 relative). One file, so that both engines share the one reference refresh."""

from __future__ import annotations

import pytest

from pipelines.engines.compare import compare_tables
from pipelines.engines.dbt import dbt_build
from pipelines.engines.load_postgres import load_postgres
from pipelines.engines.load_spark import load_spark
from pipelines.engines.read import read_table, table_names

pytestmark = [pytest.mark.engines, pytest.mark.timeout(1800)]


def assert_build_passed(run, engine: str) -> None:
    assert run.ok, f"dbt build on {engine} failed:\n{run.output[-6000:]}"
    assert set(run.statuses) <= {"success", "pass"}, run.statuses
    assert sum(run.statuses.values()) >= 150  # 36 models, 111 data tests, 14 unit tests


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


def test_postgres_builds_the_same_marts_as_duckdb(reference_home, local_postgres, tmp_path):
    settings = local_postgres.create_database("monitor", "monitor")
    reference_db = reference_home / "warehouse.duckdb"
    loaded = load_postgres(reference_db, settings)
    assert loaded["raw.observations"] > 20_000 and loaded["registry.indicators"] > 0

    run = dbt_build("postgres", settings, tmp_path / "target")
    print(f"\ndbt build on PostgreSQL: {run.seconds:.1f}s {run.statuses}")
    assert_build_passed(run, "postgres")
    assert settings.password not in run.output
    assert_marts_equal("postgres", settings, reference_db)

    # a second load empties and refills the tables in place: dbt's views over them survive
    load_postgres(reference_db, settings)
    columns, rows = read_table("postgres", "staging", "stg_registry__settings", settings)
    assert rows and "key" in columns


def test_spark_builds_the_same_marts_as_duckdb(reference_home, local_spark, tmp_path):
    settings = local_spark.settings()
    reference_db = reference_home / "warehouse.duckdb"
    loaded = load_spark(reference_db, settings)
    assert loaded["raw.observations"] > 20_000

    run = dbt_build("spark", settings, tmp_path / "target")
    print(f"\ndbt build on Spark: {run.seconds:.1f}s {run.statuses}")
    assert_build_passed(run, "spark")
    assert_marts_equal("spark", settings, reference_db)
