"""Servers for the engine trials (marker `engines`): a throwaway PostgreSQL cluster and a
Spark cluster on loopback, started once per test process (session fixtures; each test
makes its own database) and stopped at its end; one DuckDB reference refresh likewise. Where a server cannot start
here (no PostgreSQL binaries, no Java, no pyspark) the trial is skipped with the reason,
except in CI (CI set), where that is a failure: CI must install what they need."""

from __future__ import annotations

import os

import pytest

from pipelines.warehouse.engines.local.postgres import LocalPostgres, pg_bin
from pipelines.warehouse.engines.local.spark import LocalSpark, java_home, spark_home
from tests.conftest import monitor_cmd


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must install it: .ci/run, make install-spark)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def local_postgres():
    if pg_bin() is None:
        unavailable("PostgreSQL server binaries not found (initdb, pg_ctl)")
    server = LocalPostgres.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def local_spark():
    if spark_home() is None:
        unavailable("pyspark not installed (make install-spark)")
    if java_home() is None:
        unavailable("no Java runtime")
    server = LocalSpark.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def reference_home(tmp_path_factory):
    """The DuckDB run every engine is compared with: the SAMPLE refresh with a small
    SYNTHETIC microdata file, so that the microdata gaps are not empty."""
    from pipelines.sources.microdata.synthetic import write

    root = tmp_path_factory.mktemp("reference")
    microdata = write(root / "SYNTHETIC_lfs_engines.parquet", rows=20_000)
    home = root / "home"
    monitor_cmd("refresh", home=home, env={"MONITOR_MICRODATA": str(microdata)}, check=True)
    return home
