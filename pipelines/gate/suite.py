"""A suite as the gate runs it (the query it validates, the expectations, the asset it is
about) and the one way an expectation is written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Suite:
    name: str
    stage: str  # raw | staging | marts  (raw runs before dbt, the others after)
    query: str
    asset: list[str]
    key: list[str]
    expectations: list[dict[str, Any]]
    description: str
    table: str | None = None  # the mart a models suite is about (its floats must be finite)
    grain: list[str] | None = None  # the mart's grain: one row per these columns


def expectation(kind: str, name: str, kwargs: dict[str, Any], why: str) -> dict[str, Any]:
    return {"type": kind, "kwargs": kwargs, "meta": {"name": name, "why": why}}
