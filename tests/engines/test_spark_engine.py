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
    assert_same_microdata_cells,
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
