"""The code location's executor: in-process, holding the warehouse lock for the whole run.

Runs launched by the Dagster UI, a schedule or a sensor go through this executor; `monitor
refresh` (which executes in process) takes the same lock itself. Together with the
run-granularity pool limit in dagster.yaml, no two runs ever write the warehouse at once.
"""

from __future__ import annotations

import dagster as dg

from pipelines.settings import config, paths
from pipelines.warehouse.lock import warehouse_lock


class _LockedExecutor(dg.Executor):
    def __init__(self, inner: dg.Executor) -> None:
        self._inner = inner

    @property
    def retries(self):
        return self._inner.retries

    def execute(self, plan_context, execution_plan):
        timeout = float(config().get("warehouse", {}).get("lock_timeout_s", 3600))
        with warehouse_lock(paths().home, f"Dagster run {plan_context.run_id}", timeout):
            yield from self._inner.execute(plan_context, execution_plan)


@dg.executor(name="warehouse_locked_in_process", config_schema=dg.in_process_executor.config_schema)
def locked_in_process_executor(init_context) -> dg.Executor:
    return _LockedExecutor(dg.in_process_executor.executor_creation_fn(init_context))
