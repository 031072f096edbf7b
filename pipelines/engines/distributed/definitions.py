"""The code location for distributed runs: the assets, checks, jobs and resources of
pipelines.definitions, executed by Celery workers instead of in one process.

The run process still holds the warehouse lock for the whole run (no other run may write
the warehouse meanwhile), and the instance's op-granularity pool makes the steps that write
it take turns. Load it as a module (`dagster ... -m pipelines.engines.distributed.definitions`).
"""

from __future__ import annotations

import dagster as dg
from dagster_celery import celery_executor

from pipelines import definitions as single
from pipelines.defs.executor import _LockedExecutor


@dg.executor(
    name="warehouse_locked_celery",
    config_schema=celery_executor.config_schema,
    requirements=dg.multiple_process_executor_requirements(),
)
def locked_celery_executor(init_context) -> dg.Executor:
    return _LockedExecutor(celery_executor.executor_creation_fn(init_context))


refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description=single.refresh_job.description,
)

defs = dg.Definitions(
    assets=single.defs.assets,
    asset_checks=single.defs.asset_checks,
    jobs=[refresh_job],
    resources=single.defs.resources,
    executor=locked_celery_executor,
    loggers=single.defs.loggers,
)
