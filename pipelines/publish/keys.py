"""Every asset key and check name of a refresh, named once: the Dagster definitions build
their assets and checks with these; the run's attempt (attempt.py) names its parts after
them. Paths, not Dagster objects, so reading them imports nothing heavy."""

from __future__ import annotations

Key = tuple[str, ...]

RAW_OBSERVATIONS: Key = ("raw", "observations")
RAW_SNAPSHOTS: Key = ("raw", "snapshots")
DELIVERY_OBSERVATIONS: Key = ("raw", "delivery_observations")
DELIVERY_SNAPSHOTS: Key = ("raw", "delivery_snapshots")
MICRODATA_AGGREGATES: Key = ("raw", "microdata__lfs_aggregates")
INPUTS_DECISION: Key = ("publication", "inputs_decision")
PUBLISHED: Key = ("publication", "monitor_db")
REPORT: Key = ("publication", "report")
DBT_LAYERS = ("staging", "intermediate", "marts")

#: the raw gate's one check per dataset; a models suite is `gx_<its name>`
RAW_GATE_CHECK = "gx_raw"
DBT_CHECK = "gate_dbt_tests"


def raw_key(source: str, code: str) -> Key:
    """A dataset's raw table: raw."<source>__<code>"."""
    return ("raw", f"{source}__{code}")


def registry_key(table: str) -> Key:
    return ("registry", table)


def view_key(name: str) -> Key:
    return ("raw", name)


def check_name(suite_name: str, stage: str) -> str:
    """The Dagster check of a gate suite: one per dataset at the raw stage."""
    return RAW_GATE_CHECK if stage == "raw" else "gx_" + suite_name.split(".", 1)[1]


def is_gate_check(name: str) -> bool:
    """A check of the quality gate (a Great Expectations suite or the gate's dbt tests)."""
    return name.startswith("gx_") or name == DBT_CHECK


def user_string(key: Key) -> str:
    """As Dagster prints a key (`raw/observations`)."""
    return "/".join(key)


def asset_key(key: Key):
    """The Dagster AssetKey of `key` (Dagster imported here, not with this module)."""
    import dagster as dg

    return dg.AssetKey(list(key))
