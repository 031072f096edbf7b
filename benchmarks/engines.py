"""`dbt build` of the whole project on PostgreSQL (and on Spark with MONITOR_BENCH_SPARK=1,
two more minutes here) against the same build on DuckDB in the same run, from the SAMPLE's
raw and registry tables; the servers are throwaway ones on loopback
(pipelines/warehouse/engines/local).
Also the server start, the load of the raw and registry tables, and a whole `monitor refresh`
of the sample with the warehouse on PostgreSQL (committee role included) and on Spark,
against the same refresh on DuckDB, each in a fresh home."""

from __future__ import annotations

import os
import shutil
import time

from benchmarks.harness import BIN, Figure, Goal, Session, Skip, measure


def run(session: Session) -> list[Figure]:
    from pipelines.warehouse.engines.dbt import dbt_build
    from pipelines.warehouse.engines.load_postgres import load_postgres
    from pipelines.warehouse.engines.local.postgres import LocalPostgres, pg_bin

    if pg_bin() is None:
        raise Skip("PostgreSQL server binaries not found")
    scratch = session.fresh("engines")
    duck = scratch / "warehouse.duckdb"
    shutil.copy(session.published_home() / "warehouse.duckdb", duck)
    baseline = dbt_build("duckdb", duck, scratch / "duckdb-target")
    if not baseline.ok:
        raise RuntimeError(f"dbt build on DuckDB failed:\n{baseline.output[-3000:]}")
    base = ("dbt build on DuckDB", baseline.seconds)
    with LocalPostgres.start() as server:
        settings = server.create_database("monitor", "monitor")
        began = time.monotonic()
        load_postgres(duck, settings)
        loaded_s = time.monotonic() - began
        built = dbt_build("postgres", settings, scratch / "postgres-target")
        refreshed, duck_refresh = _refresh(session, server)
    if not built.ok:
        raise RuntimeError(f"dbt build on PostgreSQL failed:\n{built.output[-3000:]}")
    figures = [
        Figure("dbt build on PostgreSQL", built.seconds, "s", *base, goal=Goal("max_ratio", 10)),
        Figure("PostgreSQL: initdb + start", server.started_s, "s"),
        Figure("PostgreSQL: load raw + registry (COPY)", loaded_s, "s"),
        *refreshed,
    ]
    if os.environ.get("MONITOR_BENCH_SPARK") == "1":
        figures += _spark(session, duck, scratch, base, duck_refresh)
    return figures


def _spark(session: Session, duck, scratch, base, duck_refresh) -> list[Figure]:
    from pipelines.warehouse.engines.dbt import dbt_build
    from pipelines.warehouse.engines.load_spark import load_spark
    from pipelines.warehouse.engines.local.spark import LocalSpark, spark_home

    if spark_home() is None:
        raise Skip("pyspark not installed (make install-spark)")
    with LocalSpark.start() as spark:
        began = time.monotonic()
        load_spark(duck, spark.settings())
        loaded_s = time.monotonic() - began
        built = dbt_build("spark", spark.settings(), scratch / "spark-target")
        engine_env = {"MONITOR_WAREHOUSE_ENGINE": "spark", **spark.settings().env()}
        home = session.fresh("refresh-spark") / "home"
        on_spark = measure(
            [str(BIN / "monitor"), "refresh"], env=session.home_env(home, **engine_env)
        ).check("monitor refresh on Spark")
    if not built.ok:
        raise RuntimeError(f"dbt build on Spark failed:\n{built.output[-3000:]}")
    return [
        Figure("dbt build on Spark", built.seconds, "s", *base),
        Figure("Spark: master + worker + Thrift Server start", spark.started_s, "s"),
        Figure("Spark: load raw + registry (Parquet)", loaded_s, "s"),
        Figure(
            "monitor refresh, warehouse on Spark",
            on_spark.wall_s,
            "s",
            "monitor refresh on DuckDB",
            duck_refresh.wall_s,
            cpu_s=on_spark.cpu_s,
            baseline_cpu_s=duck_refresh.cpu_s,
        ),
    ]


def _refresh(session: Session, server):
    """`monitor refresh` of the sample on DuckDB, then with the warehouse on PostgreSQL: the
    figure, and the DuckDB run (the baseline of the Spark refresh too)."""
    from pipelines.publish.postgres import create_committee_role

    settings = server.create_database("refresh", "refresher")
    create_committee_role(server.superuser(), "refresh", "committee", "committee-pw")
    monitor = [str(BIN / "monitor"), "refresh"]
    duck = measure(monitor, env=session.home_env(session.fresh("refresh-duckdb") / "home"))
    duck.check("monitor refresh on DuckDB")
    engine_env = {
        "MONITOR_WAREHOUSE_ENGINE": "postgres",
        "MONITOR_POSTGRES_COMMITTEE_USER": "committee",
        "MONITOR_POSTGRES_COMMITTEE_PASSWORD": "committee-pw",
        **settings.env(),
    }
    on_pg = measure(
        monitor, env=session.home_env(session.fresh("refresh-postgres") / "home", **engine_env)
    )
    on_pg.check("monitor refresh on PostgreSQL")
    return [
        Figure(
            "monitor refresh, warehouse on PostgreSQL",
            on_pg.wall_s,
            "s",
            "monitor refresh on DuckDB",
            duck.wall_s,
            cpu_s=on_pg.cpu_s,
            baseline_cpu_s=duck.cpu_s,
        )
    ], duck
