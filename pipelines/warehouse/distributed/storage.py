"""Dagster's PostgreSQL event log storage, with a step that waits for a pool slot checking
again every second.

Dagster backs a blocked step off exponentially, up to 15 s between checks; with the
`warehouse` pool at one slot (the DuckDB warehouse has one writer) a step can then sleep
for seconds after the slot came free, at every one of the run's thirty-odd steps. A claim
is one indexed query, so checking every second costs the database nothing worth counting.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagster._serdes import ConfigurableClassData
from dagster._utils.concurrency import ConcurrencyClaimStatus
from dagster_postgres.event_log import PostgresEventLogStorage
from dagster_postgres.utils import pg_url_from_config

CLAIM_RETRY_S = 1.0


class PromptClaimEventLogStorage(PostgresEventLogStorage):
    def claim_concurrency_slot(
        self, concurrency_key: str, run_id: str, step_key: str, priority: int | None = None
    ) -> ConcurrencyClaimStatus:
        status = super().claim_concurrency_slot(concurrency_key, run_id, step_key, priority)
        return status if status.is_claimed else status.with_sleep_interval(CLAIM_RETRY_S)

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PromptClaimEventLogStorage:
        return cls(
            inst_data=inst_data,
            postgres_url=pg_url_from_config(config_value),
            should_autocreate_tables=config_value.get("should_autocreate_tables", True),
        )
