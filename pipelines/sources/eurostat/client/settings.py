"""Settings of the Eurostat client: `eurostat:` in config/monitor.yaml, each key overridable
by an environment variable `MONITOR_EUROSTAT_<KEY>` (e.g. MONITOR_EUROSTAT_BASE_URL)."""

from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, fields

from pipelines.settings import config


@dataclass(frozen=True)
class ApiSettings:
    base_url: str
    connect_timeout_s: float
    read_timeout_s: float
    max_attempts: int
    backoff_initial_s: float
    backoff_max_s: float
    total_budget_s: float
    async_poll_interval_s: float
    async_max_wait_s: float
    lang: str = "EN"

    @classmethod
    def load(cls) -> ApiSettings:
        section = dict(config().get("eurostat") or {})
        values = {}
        for f in fields(cls):
            raw = os.environ.get(f"MONITOR_EUROSTAT_{f.name.upper()}", section.get(f.name))
            if raw is None:
                if f.default is not MISSING:
                    continue
                raise ValueError(f"config/monitor.yaml: eurostat.{f.name} is missing")
            kind = {"float": float, "int": int, "str": str}[str(f.type)]
            try:
                values[f.name] = kind(raw)
            except ValueError as exc:
                raise ValueError(f"eurostat.{f.name}: {raw!r} is not a {f.type}") from exc
        values["base_url"] = values["base_url"].rstrip("/")
        return cls(**values)
