"""The dbt project and the microdata aggregation on Spark (standalone master, worker, Thrift
Server): the SAMPLE's raw and registry tables as Parquet, one `dbt build` (models, data
tests, unit tests) with every mart equal to the DuckDB run's, and the microdata cells
equal to DuckDB's on the same file. A file of its own, so that `pytest -n 2` runs it beside
the PostgreSQL and Dagster trials."""

from __future__ import annotations

import pytest

from pipelines.warehouse.engines.dbt import dbt_build
from pipelines.warehouse.engines.load_spark import load_spark
from tests.engines.checks import (
    assert_build_passed,
    assert_marts_equal,
    assert_published_equal,
    assert_same_microdata_cells,
    home_like_reference,
)

pytestmark = [pytest.mark.engines, pytest.mark.timeout(1800)]


def test_spark_aggregates_the_same_microdata_cells(local_spark, synthetic_microdata):
    """First in the file: it needs no reference refresh, so it runs while another test
    process builds that."""
    assert_same_microdata_cells("spark", local_spark.settings(), synthetic_microdata)


def test_spark_builds_the_same_marts_as_duckdb(local_spark, reference_home, tmp_path):
    settings = local_spark.settings()
    reference_db = reference_home / "warehouse.duckdb"
    loaded = load_spark(reference_db, settings)
    assert loaded["raw.observations"] > 20_000

    run = dbt_build("spark", settings, tmp_path / "target")
    print(f"\ndbt build on Spark: {run.seconds:.1f}s {run.statuses}")
    assert_build_passed(run, "spark")
    assert_marts_equal("spark", settings, reference_db)


def test_spark_refresh_publishes_the_same_tables(
    local_spark, reference_home, synthetic_microdata, tmp_path
):
    """`monitor refresh` with warehouse.engine=spark on the reference run's vintages: the
    microdata cells are computed on Spark, the sources go there as Parquet, dbt builds there,
    the marts come back as Parquet for the gate, and the publication (the committees' file)
    equals the DuckDB run's, table by table, cell for cell."""
    from tests.conftest import monitor_cmd

    settings = local_spark.settings()
    home = home_like_reference(reference_home, tmp_path)
    env = {
        "MONITOR_WAREHOUSE_ENGINE": "spark",
        "MONITOR_MICRODATA": str(synthetic_microdata),
        **settings.env(),
    }
    refreshed = monitor_cmd("refresh", "--force", home=home, env=env, check=True, timeout=1500)
    out = refreshed.stdout
    assert "result: PUBLISHED" in out and "models quality gate: passed" in out, out[-3000:]
    assert "computed on spark" in out, out[-3000:]  # the microdata cells too
    assert not list(settings.staging.glob("pull-*")), "the pulled Parquet folders are removed"

    # the committees' file: the publication the gate passed, made of the marts Spark built
    assert_published_equal(reference_home, "duckdb", "main", home / "published" / "monitor.duckdb")
