"""Spreadsheet intake: one asset per delivery template (locate -> safety -> validate ->
snapshot -> raw table), and the raw.delivery_* views over all of them."""

import dagster as dg

from pipelines.defs.resources import SourceResource
from pipelines.defs.specs import raw_view_spec
from pipelines.registry import load_registry
from pipelines.settings import paths
from pipelines.sources.intake import DeliveryError
from pipelines.warehouse import ledger


def delivery_key(delivery) -> dg.AssetKey:
    return dg.AssetKey(["raw", f"{delivery.source}__{delivery.code}"])


def build_delivery_asset(delivery) -> dg.AssetsDefinition:
    @dg.asset(
        key=delivery_key(delivery),
        group_name="raw",
        description=f"{delivery.doc['title']} (delivery `{delivery.code}`, template "
        f'registry/deliveries/{delivery.path.name}): every vintage in raw."{delivery.source}__{delivery.code}".',
        kinds={"python", "duckdb"},
        owners=["team:statistics"],
        tags={"layer": "raw", "source": delivery.source, "intake": "spreadsheet"},
        metadata={"delivery": delivery.code, "producer": delivery.doc["producer"]},
        pool="warehouse",
    )
    def _ingest(context: dg.AssetExecutionContext, source: SourceResource) -> dg.MaterializeResult:
        from pipelines.sources.intake.source import ingest_delivery  # Polars, DuckDB: at run time

        where = paths().ensure()
        try:
            outcome = ingest_delivery(source.parsed(), delivery, where, context.run.run_id)
        except DeliveryError as exc:
            for problem in exc.problems:
                context.log.error(f"{delivery.code}: {problem}")
            ledger.append(
                where.ledger,
                {
                    "status": "refused",
                    "reason": str(exc)[:2000],
                    "run_id": context.run.run_id,
                    "refused_delivery": delivery.code,
                    "problems": [str(p) for p in exc.problems[:200]],
                    "code_version": ledger.code_version(),
                },
            )
            raise
        for warning in outcome.warnings:
            context.log.warning(f"{delivery.code}: {warning}")
        context.log.info(outcome.summary())
        return dg.MaterializeResult(metadata=outcome.metadata())

    return _ingest


def build_defs() -> dg.Definitions:
    deliveries = list(load_registry().deliveries.values())
    assets = [build_delivery_asset(d) for d in deliveries]
    keys = [delivery_key(d) for d in deliveries]

    @dg.multi_asset(
        specs=[
            raw_view_spec(
                "delivery_observations",
                keys,
                "every delivery's measures as observations (every vintage).",
            ),
            raw_view_spec(
                "delivery_snapshots",
                keys,
                "provenance of every delivery vintage; is_current marks the one in use.",
            ),
        ],
        pool="warehouse",
    )
    def delivery_views(context: dg.AssetExecutionContext):
        from pipelines.sources.intake.load import refresh_delivery_views
        from pipelines.warehouse.connect import connect

        with connect(paths().warehouse_db) as con:
            counts = refresh_delivery_views(con, deliveries)
        context.log.info(f"raw.delivery_observations: {len(counts)} deliveries, rows {counts}")
        yield dg.MaterializeResult(
            asset_key=["raw", "delivery_observations"],
            metadata={"rows_by_delivery": dg.MetadataValue.json(counts)},
        )
        yield dg.MaterializeResult(
            asset_key=["raw", "delivery_snapshots"], metadata={"deliveries": len(counts)}
        )

    from pipelines.defs.intake.sensors import build_intake_sensor

    sensor = build_intake_sensor({d.code: delivery_key(d) for d in deliveries})
    return dg.Definitions(assets=[*assets, delivery_views], sensors=[sensor])
