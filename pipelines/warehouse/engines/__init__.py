"""The warehouse on another engine: the same dbt project on PostgreSQL or Spark.

DuckDB stays the default (`make run`, no server). `warehouse.engine` in config/monitor.yaml
(or MONITOR_WAREHOUSE_ENGINE) names the engine; connection settings come from the
environment only (`settings`). `load` copies the dbt sources (raw and registry tables) from
the DuckDB build warehouse into the engine, `dbt` runs the project there, `read` and
`compare` put its tables beside DuckDB's, `local/` starts throwaway servers (tests, a
laptop). Elsewhere, by stage: the microdata aggregation on an engine
(pipelines/sources/microdata/on_engine.py), publication on PostgreSQL
(pipelines/publish/postgres.py), Dagster on PostgreSQL storage with Celery workers
(pipelines/warehouse/distributed/).
"""
