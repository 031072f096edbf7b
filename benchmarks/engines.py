"""`dbt build` of the whole project on PostgreSQL (and on Spark with MONITOR_BENCH_SPARK=1,
about ten minutes here) against the same build on DuckDB in the same run, from the SAMPLE's
raw and registry tables; the servers are throwaway ones on loopback (pipelines/engines/local).
Also the server start and the load of the raw and registry tables."""

from __future__ import annotations

import os
import shutil
import time

from benchmarks.harness import Figure, Goal, Session, Skip


def run(session: Session) -> list[Figure]:
    from pipelines.engines.dbt import dbt_build
    from pipelines.engines.load_postgres import load_postgres
    from pipelines.engines.local.postgres import LocalPostgres, pg_bin

    if pg_bin() is None:
        raise Skip("PostgreSQL server binaries not found")
    scratch = session.fresh("engines")
    duck = scratch / "warehouse.duckdb"
    shutil.copy(session.published_home() / "warehouse.duckdb", duck)
    baseline = dbt_build("duckdb", duck, scratch / "duckdb-target")
    if not baseline.ok:
        raise RuntimeError(f"dbt build on DuckDB failed:\n{baseline.output[-3000:]}")
    base = ("dbt build on DuckDB", baseline.seconds)
    figures = []
    with LocalPostgres.start() as server:
        settings = server.create_database("monitor", "monitor")
        began = time.monotonic()
        load_postgres(duck, settings)
        loaded_s = time.monotonic() - began
        built = dbt_build("postgres", settings, scratch / "postgres-target")
    if not built.ok:
        raise RuntimeError(f"dbt build on PostgreSQL failed:\n{built.output[-3000:]}")
    figures += [
        Figure("dbt build on PostgreSQL", built.seconds, "s", *base, goal=Goal("max_ratio", 10)),
        Figure("PostgreSQL: initdb + start", server.started_s, "s"),
        Figure("PostgreSQL: load raw + registry (COPY)", loaded_s, "s"),
    ]
    if os.environ.get("MONITOR_BENCH_SPARK") == "1":
        figures += _spark(duck, scratch, base)
    return figures


def _spark(duck, scratch, base) -> list[Figure]:
    from pipelines.engines.dbt import dbt_build
    from pipelines.engines.load_spark import load_spark
    from pipelines.engines.local.spark import LocalSpark, spark_home

    if spark_home() is None:
        raise Skip("pyspark not installed (make install-spark)")
    with LocalSpark.start() as spark:
        began = time.monotonic()
        load_spark(duck, spark.settings())
        loaded_s = time.monotonic() - began
        built = dbt_build("spark", spark.settings(), scratch / "spark-target")
    if not built.ok:
        raise RuntimeError(f"dbt build on Spark failed:\n{built.output[-3000:]}")
    return [
        Figure("dbt build on Spark", built.seconds, "s", *base),
        Figure("Spark: master + worker + Thrift Server start", spark.started_s, "s"),
        Figure("Spark: load raw + registry (Parquet)", loaded_s, "s"),
    ]
