"""Eurostat ingest: one asset per registry dataset (fetch -> snapshot -> parse -> raw table),
and the `raw.observations` / `raw.snapshots` views over all of them."""

from datetime import UTC, datetime

import dagster as dg

from pipelines.defs.eurostat.sensors import build_release_sensor
from pipelines.defs.intake.assets import delivery_key
from pipelines.defs.resources import SourceResource
from pipelines.defs.specs import raw_view_spec
from pipelines.registry import load_registry
from pipelines.settings import paths

SOURCE = "eurostat"


def dataset_key(code: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", f"{SOURCE}__{code}"])


def _last_updated(outcome) -> dict:
    """The data's age for the freshness checks: the producer's last update, else retrieval."""
    stamp = outcome.last_update or outcome.retrieved_at
    if not stamp:
        return {}
    when = datetime.fromisoformat(stamp)
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return {"dagster/last_updated_timestamp": dg.MetadataValue.timestamp(when)}


def build_dataset_asset(code: str, entry: dict) -> dg.AssetsDefinition:
    @dg.asset(
        key=dataset_key(code),
        group_name="raw",
        description=f'{entry["title"]} (Eurostat `{code}`): every vintage loaded into raw."{SOURCE}__{code}".',
        kinds={"python", "duckdb"},
        owners=["team:statistics"],
        tags={"layer": "raw", "source": SOURCE},
        metadata={"dataset": code, "source_url": dg.MetadataValue.url(entry.get("url", ""))},
        pool="warehouse",
    )
    def _ingest(context: dg.AssetExecutionContext, source: SourceResource) -> dg.MaterializeResult:
        from pipelines.sources.eurostat import SOURCE as EUROSTAT  # parsers, DuckDB: at run time
        from pipelines.sources.ingest import ingest

        dataset = next(d for d in EUROSTAT.datasets(load_registry()) if d.code == code)
        outcome = ingest(
            EUROSTAT,
            source.parsed(),
            dataset,
            paths().ensure(),
            run_id=context.run.run_id,
            log=context.log.info,
        )
        for warning in outcome.warnings:
            context.log.warning(f"{code}: {warning}")
        context.log.info(outcome.summary())
        return dg.MaterializeResult(metadata={**outcome.metadata(), **_last_updated(outcome)})

    return _ingest


def _unchanged_since_publication(context: dg.AssetExecutionContext) -> str | None:
    """The last publication's id when this run was asked to skip unchanged work (tag
    `monitor/skip_unchanged`, set by `monitor refresh`) and every vintage, the marts and the
    inputs fingerprint are as published; else None (build everything)."""
    tags = context.run.tags
    if tags.get("monitor/skip_unchanged") != "1":
        return None
    from pipelines.lib.unchanged import check_after_ingest

    unchanged, reason = check_after_ingest(paths(), tags.get("monitor/inputs_fingerprint", ""))
    if unchanged is None:
        context.log.info(f"building: {reason}")
        return None
    context.log.info(
        f"nothing changed since publication {unchanged.publication_id}: no dataset has a new "
        "vintage and the inputs fingerprint is the same; dbt, gate and publication skipped"
    )
    return unchanged.publication_id


def build_defs() -> dg.Definitions:
    reg = load_registry()
    codes = [c for c, d in reg.datasets.items() if d["source"] == SOURCE]
    dataset_assets = [build_dataset_asset(c, reg.datasets[c]) for c in codes]
    # The no-change check in raw_views must see every vintage of this run: it also waits for
    # the spreadsheet deliveries.
    ingested = [dataset_key(c) for c in codes] + [delivery_key(d) for d in reg.deliveries.values()]

    @dg.multi_asset(
        specs=[
            raw_view_spec(
                "observations",
                ingested,
                "all datasets' observations (every vintage).",
                skippable=True,
            ),
            raw_view_spec(
                "snapshots",
                ingested,
                "provenance of every stored vintage; is_current marks the one in use.",
                skippable=True,
            ),
        ],
        pool="warehouse",
    )
    def raw_views(context: dg.AssetExecutionContext):
        from pipelines.sources.raw_tables import refresh_raw_views
        from pipelines.warehouse.connect import connect

        with connect(paths().warehouse_db) as con:
            counts = refresh_raw_views(con, [(SOURCE, c) for c in codes])
        context.log.info(
            f"raw.observations: {sum(counts.values())} current observations in {len(counts)} datasets"
        )
        unchanged = _unchanged_since_publication(context)
        if unchanged:  # no output: dbt, the models gate and the publication are skipped
            yield dg.AssetObservation(
                asset_key=["raw", "observations"], metadata={"unchanged_since": unchanged}
            )
            return
        yield dg.MaterializeResult(
            asset_key=["raw", "observations"],
            metadata={
                "current_rows": sum(counts.values()),
                "rows_by_dataset": dg.MetadataValue.json(counts),
            },
        )
        yield dg.MaterializeResult(
            asset_key=["raw", "snapshots"], metadata={"datasets": len(counts)}
        )

    return dg.Definitions(
        assets=[*dataset_assets, raw_views], sensors=[build_release_sensor(codes)]
    )
