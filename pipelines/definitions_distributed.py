"""The code location for distributed runs: the assets, checks, jobs and resources of
pipelines.definitions, executed by Celery workers instead of in one process.

The run process still holds the warehouse lock for the whole run (no other run may write
the warehouse meanwhile), and the instance's op-granularity pool makes the steps that write
it take turns. Load it as a module (`dagster ... -m pipelines.definitions_distributed`).
"""

from __future__ import annotations

import dagster as dg
from dagster._core.execution.retries import RetryMode
from dagster_celery import celery_executor
from dagster_celery.executor import CeleryExecutor

from pipelines import definitions as single
from pipelines.settings import config, paths
from pipelines.warehouse.lock import warehouse_lock

TICK_S = 0.2


class LockedCeleryExecutor(CeleryExecutor):
    """Dagster's Celery executor, holding the warehouse lock in the run process meanwhile."""

    def execute(self, plan_context, execution_plan):
        from dagster_celery import core_execution_loop

        # the executor's loop checks its steps' results and starts the next ones once per
        # tick, by default a second (a module constant, no setting): with the warehouse's
        # steps one at a time that is up to a second lost between any two of them (a trial:
        # 95 s with the default, 70 s with 0.2 s)
        core_execution_loop.TICK_SECONDS = TICK_S
        timeout = float(config().get("warehouse", {}).get("lock_timeout_s", 3600))
        with warehouse_lock(paths().home, f"Dagster run {plan_context.run_id}", timeout):
            yield from super().execute(plan_context, execution_plan)


@dg.executor(
    name="warehouse_locked_celery",
    config_schema=celery_executor.config_schema,
    requirements=dg.multiple_process_executor_requirements(),
)
def locked_celery_executor(init_context) -> dg.Executor:
    settings = init_context.executor_config  # as dagster_celery.celery_executor reads it
    return LockedCeleryExecutor(
        retries=RetryMode.from_config(settings["retries"]),
        broker=settings.get("broker"),
        backend=settings.get("backend"),
        include=settings.get("include"),
        config_source=settings.get("config_source"),
    )


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
