"""The dbt project and the microdata aggregation on Spark (standalone master, worker, Thrift
Server): a `monitor refresh` there (the SAMPLE's raw and registry tables as Parquet, one
`dbt build` of models and data tests) with every mart and every published table equal to
the DuckDB run's, the dbt unit tests there, and the microdata cells equal to DuckDB's on
the same file. A file of its own, so that `pytest -n 2` runs it beside the PostgreSQL and
Dagster trials."""

from __future__ import annotations

import pytest

from tests.engines.checks import (
    assert_marts_equal,
    assert_published_equal,
    assert_refresh_built,
    assert_refresh_microdata_equal,
    assert_unit_tests_pass,
    home_like_reference,
)

pytestmark = [pytest.mark.engines, pytest.mark.timeout(1800)]


def test_spark_refresh_builds_and_publishes_the_same_tables(
    local_spark, reference_home, synthetic_microdata, tmp_path
):
    """`monitor refresh` with warehouse.engine=spark on the reference run's vintages: the
    microdata cells are computed on Spark, the sources go there as Parquet, `dbt build`
    (models and data tests) passes there, the marts come back as Parquet for the gate, and
    the publication (the committees' file) equals the DuckDB run's, table by table, cell for
    cell, as do the microdata cells and their suppressions. Then, on the same server: every
    mart that build left equals the DuckDB run's, and the dbt unit tests pass there. (One
    build on Spark for all of it: it takes about a minute.)"""
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
    assert_refresh_built(out)
    assert "computed on spark" in out, out[-3000:]  # the microdata cells too
    assert_refresh_microdata_equal(out, home, reference_home, synthetic_microdata)
    assert not list(settings.staging.glob("pull-*")), "the pulled Parquet folders are removed"

    # the committees' file: the publication the gate passed, made of the marts Spark built
    assert_published_equal(reference_home, "duckdb", "main", home / "published" / "monitor.duckdb")
    # the marts as they are on Spark
    assert_marts_equal("spark", settings, reference_home / "warehouse.duckdb")

    assert_unit_tests_pass("spark", settings, tmp_path / "target")
