"""Servers for the engine trials (marker `engines`): a throwaway PostgreSQL cluster and a
Spark cluster on loopback, started once per test file (module fixtures; each test makes its
own database) and stopped when the file is done (a Spark cluster kept to the end of the test
process kept its JVMs, ~2 GB resident, alive under every later file); one DuckDB reference
refresh per test run, shared by the test processes of `pytest -n`. Where a server cannot
start here (no PostgreSQL binaries, no Java, no pyspark) the trial is skipped with the
reason, except in CI (CI or MONITOR_REQUIRE_ENGINES set; .ci/run sets the latter), where
that is a failure: CI must install what they need."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipelines.warehouse.engines.local.postgres import LocalPostgres, pg_bin
from pipelines.warehouse.engines.local.spark import LocalSpark, java_home, spark_home
from tests.conftest import monitor_cmd


def unavailable(reason: str) -> None:
    if os.environ.get("CI") or os.environ.get("MONITOR_REQUIRE_ENGINES"):
        pytest.fail(f"{reason} (CI must install it: .ci/run, make install-spark)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def local_postgres():
    if pg_bin() is None:
        unavailable("PostgreSQL server binaries not found (initdb, pg_ctl)")
    server = LocalPostgres.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def local_spark():
    if spark_home() is None:
        unavailable("pyspark not installed (make install-spark)")
    if java_home() is None:
        unavailable("no Java runtime")
    server = LocalSpark.start()
    yield server
    server.stop()


def _shared_root(tmp_path_factory) -> Path:
    """A folder shared by the test processes of this run (pytest-xdist's workers)."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "engines-reference"
    root.mkdir(exist_ok=True)
    return root


@contextmanager
def _built_once(root: Path, name: str) -> Iterator[bool]:
    """Yields whether `name` still has to be built, holding a lock on it meanwhile: the
    first process builds, the others wait for it and then read what it built."""
    with open(root / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        marker = root / f".{name}.built"
        build = not marker.exists()
        yield build
        if build:
            marker.touch()


@pytest.fixture(scope="session")
def synthetic_microdata(tmp_path_factory) -> Path:
    """A SYNTHETIC person-level file (20,000 rows), the same for every process of the run."""
    from pipelines.sources.microdata.synthetic import write

    root = _shared_root(tmp_path_factory)
    path = root / "SYNTHETIC_lfs_engines.parquet"
    with _built_once(root, "microdata") as build:
        if build:
            write(path, rows=20_000)
    return path


@pytest.fixture(scope="session")
def reference_home(tmp_path_factory, synthetic_microdata) -> Path:
    """The DuckDB run every engine is compared with: the SAMPLE refresh with the SYNTHETIC
    microdata file, so that the microdata gaps are not empty. Built once per test run: the
    first process that needs it builds it, the others wait and read it (read-only)."""
    root = _shared_root(tmp_path_factory)
    home = root / "home"
    with _built_once(root, "reference") as build:
        if build:
            shutil.rmtree(home, ignore_errors=True)  # a build that failed half-way
            env = {"MONITOR_MICRODATA": str(synthetic_microdata)}
            monitor_cmd("refresh", home=home, env=env, check=True)
    return home
