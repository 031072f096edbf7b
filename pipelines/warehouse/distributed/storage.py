"""Dagster's PostgreSQL event log storage, kept connected, with a step that waits for a pool
slot checking again every 0.2 s.

Dagster backs a blocked step off exponentially, up to 15 s between checks; with the
`warehouse` pool at one slot (the DuckDB warehouse has one writer) a step can then sleep
for seconds after the slot came free, at every one of the run's forty-odd steps. And
dagster-postgres opens a new connection for every query (its default outside the
webserver), so each claim of a waiting step cost several logins: in a trial, 6,000 logins
and 40 s of the 120 s run. Held open (Dagster's own `optimize_for_webserver`, one
connection plus a few on demand), the same run took 70 s.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagster._serdes import ConfigurableClassData
from dagster._utils.concurrency import ConcurrencyClaimStatus
from dagster_postgres.event_log import PostgresEventLogStorage
from dagster_postgres.utils import pg_url_from_config

CLAIM_RETRY_S = 0.2


class PromptClaimEventLogStorage(PostgresEventLogStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # keep a connection open, as Dagster does for its webserver: with a new connection
        # per query (dagster-postgres's default) every claim costs several logins
        self.optimize_for_webserver(statement_timeout=0, pool_recycle=3600, max_overflow=4)

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
