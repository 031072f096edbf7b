"""The Dagster code location (`dagster dev -w workspace.yaml` and `monitor refresh` both load
this), stage by stage: registry -> sources (every folder of pipelines/sources/: Eurostat,
spreadsheet deliveries, microdata aggregates) -> dbt models -> quality gate -> publication ->
report."""

from __future__ import annotations

import dagster as dg

from pipelines.defs import dbt, eurostat, intake, publication, quality, registry, sources
from pipelines.defs.dbt import assets as dbt_assets
from pipelines.defs.eurostat.freshness import build_freshness_checks, build_freshness_sensor
from pipelines.defs.eurostat.schedules import eurostat_after_release
from pipelines.defs.eurostat.sensors import build_release_sensor
from pipelines.defs.executor import locked_in_process_executor
from pipelines.defs.intake.sensors import build_intake_sensor
from pipelines.defs.operations.sensors import tag_failed_runs
from pipelines.defs.progress import progress_logger
from pipelines.defs.publication import assets as publication_assets
from pipelines.defs.publication.decision import DECISION_KEY
from pipelines.defs.quality import checks as quality_checks
from pipelines.defs.registry import assets as registry_assets
from pipelines.defs.resources import SourceResource
from pipelines.publish.keys import asset_key, raw_key
from pipelines.registry import load_registry

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Ingest every dataset, build the marts, run the quality gate, publish, report.",
)

_gate_checks = quality_checks.build_checks()
_freshness_checks = build_freshness_checks()

publish_job = dg.define_asset_job(
    "publish",
    selection=dg.AssetSelection.checks(*_gate_checks)
    | (dg.AssetSelection.groups("publication") - dg.AssetSelection.assets(DECISION_KEY)),
    description="Re-run both quality gate stages on the warehouse as it is and publish if they pass (no ingest, no dbt).",
)

_registry = load_registry()
_eurostat = [code for code, d in _registry.datasets.items() if d["source"] == "eurostat"]
_deliveries = {d.code: asset_key(raw_key(d.source, d.code)) for d in _registry.deliveries.values()}

defs = dg.Definitions.merge(
    registry_assets.defs,
    sources.build_defs(),
    dbt_assets.defs,
    dg.Definitions(asset_checks=[*_gate_checks, *_freshness_checks]),
    publication_assets.defs,
    dg.Definitions(
        jobs=[refresh_job, publish_job],
        schedules=[eurostat_after_release],
        sensors=[
            tag_failed_runs,
            build_freshness_sensor(_freshness_checks),
            build_release_sensor(_eurostat),
            build_intake_sensor(_deliveries),
        ],
        resources={"source": SourceResource.configure_at_launch()},
        executor=locked_in_process_executor,
        loggers={"progress": progress_logger},
    ),
)

__all__ = ["defs", "dbt", "eurostat", "intake", "publication", "quality", "registry", "sources"]
