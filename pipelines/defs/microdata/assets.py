"""Microdata ingest: a person-level survey file (if one is configured) -> weighted cells with
standard errors and disclosure control -> `raw.microdata__lfs_aggregates`.

No file configured (the default; $MONITOR_MICRODATA or `microdata.path`): the asset says so
and leaves the table empty, so dbt and the rest of the refresh run as before. Microdata are
held by the statistics teams and cannot be bundled; a generated stand-in would put invented
group gaps next to real Eurostat figures, so none is used by default.
"""

import dagster as dg

from pipelines.settings import paths

AGGREGATES_KEY = dg.AssetKey(["raw", "microdata__lfs_aggregates"])


@dg.asset(
    key=AGGREGATES_KEY,
    group_name="raw",
    description="Weighted LFS-like indicators by breakdown with standard errors, computed from a "
    "microdata file (docs/microdata.md); statistical disclosure control (respondent thresholds, "
    "0 %/100 %, dominance, secondary suppression, rounded counts) applied before the warehouse. "
    "Only aggregates: no person record reaches the warehouse.",
    kinds={"python", "duckdb"},
    owners=["team:statistics"],
    tags={"layer": "raw", "source": "microdata"},
    pool="warehouse",
)
def lfs_aggregates(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from pipelines.sources.microdata.file import configured_file, load_aggregates
    from pipelines.warehouse.connect import connect

    path = configured_file()
    if path is None:
        context.log.info(
            "microdata: no file configured (set MONITOR_MICRODATA or microdata.path in "
            "config/monitor.yaml); raw.microdata__lfs_aggregates left empty"
        )
    with connect(paths().ensure().warehouse_db) as con:
        loaded = load_aggregates(con, path)
    by_rule = ", ".join(f"{rule} {n}" for rule, n in loaded.suppressed_by_rule.items())
    if path is not None:
        label = " SYNTHETIC" if loaded.is_synthetic else ""
        context.log.info(
            f"microdata{label}: {path.name} -> {loaded.cells} cells ({loaded.suppressed} "
            f"suppressed: {by_rule}; {loaded.low_reliability} low reliability; "
            f"{loaded.variance_method})"
        )
    return dg.MaterializeResult(
        metadata={
            "file": path.name if path else "",
            "cells": loaded.cells,
            "suppressed": loaded.suppressed,
            # cells each disclosure rule suppressed (a cell may break several primary rules)
            **{f"suppressed_{rule}": n for rule, n in loaded.suppressed_by_rule.items()},
            "low_reliability": loaded.low_reliability,
            "is_synthetic": loaded.is_synthetic,
            "sha256": loaded.sha256 or "",
            "variance_method": loaded.variance_method or "",
        }
    )


defs = dg.Definitions(assets=[lfs_aggregates])
