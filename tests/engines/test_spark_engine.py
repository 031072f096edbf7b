"""The dbt project and the microdata aggregation on Spark (standalone master, worker, Thrift
Server): a `monitor refresh` there (the SAMPLE's raw and registry tables as Parquet, one
`dbt build` of models and data tests) with every mart and every published table equal to
the DuckDB run's, the dbt unit tests there, and the microdata cells equal to DuckDB's on
the same file. A file of its own, so that `pytest -n 2` runs it beside the PostgreSQL and
Dagster trials."""

from __future__ import annotations

import subprocess

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
    refreshed = monitor_cmd("refresh", "--force", home=home, env=env, timeout=1500)
    out = refreshed.stdout
    assert refreshed.returncode == 0, (
        f"{out}\n{refreshed.stderr[-6000:]}\n"
        f"--- what the Spark Thrift Server logged as errors:\n{thrift_errors(local_spark)}"
    )
    assert_refresh_built(out)
    assert "computed on spark" in out, out[-3000:]  # the microdata cells too
    assert_refresh_microdata_equal(out, home, reference_home, synthetic_microdata)
    assert not list(settings.staging.glob("pull-*")), "the pulled Parquet folders are removed"

    # the committees' file: the publication the gate passed, made of the marts Spark built
    assert_published_equal(reference_home, "duckdb", "main", home / "published" / "monitor.duckdb")
    # the marts as they are on Spark
    assert_marts_equal("spark", settings, reference_home / "warehouse.duckdb")

    assert_unit_tests_pass("spark", settings, tmp_path / "target")


def thrift_errors(spark, lines: int = 60) -> str:
    """The Thrift Server log's ERROR and exception lines (the last `lines` of them)."""
    log = (spark.root / "thrift.log").read_text(errors="replace").splitlines()
    return "\n".join([line for line in log if "ERROR" in line or "Exception" in line][-lines:])


def test_a_dropped_thrift_handshake_is_retried(local_spark, tmp_path):
    """A Thrift server that drops a connection while it opens (CI saw "TSocket read 0 bytes"
    fail one dbt data test of a build) costs a retry, not a refresh: behind a proxy that
    drops the first connection, our own sessions and dbt's open on the second try."""
    from pipelines.settings import DBT_PROJECT_DIR, dbt_executable
    from pipelines.warehouse.engines.dbt import dbt_env
    from pipelines.warehouse.engines.settings import SparkSettings
    from pipelines.warehouse.engines.spark_sql import spark_connection
    from tests.engines.proxy import DroppingProxy

    proxy = DroppingProxy(local_spark.thrift_port, drop_first=1)
    try:
        proxied = SparkSettings(port=proxy.port, staging_dir=tmp_path / "staging")
        with spark_connection(proxied) as cur:
            cur.execute("select 41 + 1")
            assert cur.fetchall() == [(42,)]
        assert (proxy.dropped, proxy.forwarded) == (1, 1)

        proxy.to_drop = 2
        debug = subprocess.run(
            [str(dbt_executable()), "debug", "--connection", "--target", "spark",
             "--profiles-dir", str(DBT_PROJECT_DIR), "--log-path", str(tmp_path / "logs")],
            cwd=DBT_PROJECT_DIR, env=dbt_env("spark", proxied), capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip
        output = debug.stdout + debug.stderr
        assert debug.returncode == 0 and "Connection test: [OK" in output, output[-3000:]
        assert "retrying due to 'retry_all'" in output, output[-3000:]
        assert proxy.dropped == 2 and proxy.forwarded >= 2
    finally:
        proxy.close()
