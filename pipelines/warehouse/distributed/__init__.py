"""Dagster beyond one process: an instance on PostgreSQL storage (runs, events, schedules)
and the `refresh` job on the Celery executor, whose broker and result backend are the same
PostgreSQL (kombu's SQLAlchemy transport), with workers as separate processes or machines.

`instance` writes the dagster.yaml, `storage` is its event log, `workers` starts and stops
local Celery workers. The code location whose jobs run on Celery (same assets, checks and
resources as pipelines.definitions) is `pipelines/definitions_distributed.py`, and
`python -m pipelines.cli.distributed` starts a run on it. Connection URLs come from the environment only:
MONITOR_DAGSTER_POSTGRES_URL (storage), MONITOR_CELERY_BROKER_URL, MONITOR_CELERY_BACKEND_URL.
"""
