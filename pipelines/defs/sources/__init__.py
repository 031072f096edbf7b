"""Dagster wiring of stage 2: one asset per dataset of every source (pipelines/sources/, found
by `kinds.py`), each running locate -> fetch -> check -> load (`pipelines.sources.ingest`),
and per kind of raw views one asset over the datasets that feed them. Each step records its
outcome as a part of the run's attempt (pipelines/publish/attempt.py)."""

from datetime import UTC, datetime

import dagster as dg

from pipelines.defs.resources import SourceResource
from pipelines.defs.specs import raw_view_spec
from pipelines.publish import attempt, keys
from pipelines.registry import load_registry
from pipelines.settings import paths
from pipelines.sources.base import Dataset, Refused, Source, Views
from pipelines.sources.kinds import all_datasets


def dataset_key(dataset: Dataset) -> dg.AssetKey:
    return dg.AssetKey(list(keys.raw_key(dataset.source, dataset.code)))


def _last_updated(outcome) -> dict:
    """The data's age for the freshness checks: the producer's last update, else retrieval."""
    stamp = outcome.last_update or outcome.retrieved_at
    if not stamp:
        return {}
    when = datetime.fromisoformat(stamp)
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return {"dagster/last_updated_timestamp": dg.MetadataValue.timestamp(when)}


def _refused(context: dg.AssetExecutionContext, dataset: Dataset, exc: Refused) -> None:
    """A refusal that lists its problems (file, sheet, row, column): logged one by one and
    recorded in the ledger."""
    for problem in exc.problems:
        context.log.error(f"{dataset.code}: {problem}")
    attempt.refused(
        paths().ledger,
        context.run.run_id,
        str(exc)[:2000],
        refused_delivery=dataset.code,
        problems=[str(p) for p in exc.problems[:200]],
    )


def build_dataset_asset(kind: Source, dataset: Dataset) -> dg.AssetsDefinition:
    metadata = dict(dataset.metadata)
    if dataset.url:
        metadata["source_url"] = dg.MetadataValue.url(dataset.url)

    @dg.asset(
        key=dataset_key(dataset),
        group_name="raw",
        description=dataset.description,
        kinds={"python", "duckdb"},
        owners=["team:statistics"],
        tags=dataset.tags,
        metadata=metadata,
        pool="warehouse",
    )
    def _ingest(context: dg.AssetExecutionContext, source: SourceResource) -> dg.MaterializeResult:
        from pipelines.sources.ingest import ingest  # parsers, Polars, DuckDB: at run time

        try:
            outcome = ingest(
                kind,
                source.parsed(),
                dataset,
                paths().ensure(),
                run_id=context.run.run_id,
                log=context.log.info,
            )
        except Refused as exc:
            if exc.problems:
                _refused(context, dataset, exc)
            raise
        for warning in outcome.warnings:
            context.log.warning(f"{dataset.code}: {warning}")
        context.log.info(outcome.summary())
        attempt.note(
            paths().home,
            context.run.run_id,
            f"source.{dataset.source}__{dataset.code}",
            outcome.metadata(),
        )
        return dg.MaterializeResult(metadata={**outcome.metadata(), **_last_updated(outcome)})

    return _ingest


def build_views_asset(
    views: Views, datasets: list[Dataset], deps: list[dg.AssetKey]
) -> dg.AssetsDefinition:
    """raw.<names[0]> and raw.<names[1]> over `datasets`."""
    rows, vintages = views.names

    @dg.multi_asset(
        name=views.asset,
        specs=[
            raw_view_spec(rows, deps, views.descriptions[0]),
            raw_view_spec(vintages, deps, views.descriptions[1]),
        ],
        pool="warehouse",
    )
    def _views(context: dg.AssetExecutionContext):
        from pipelines.warehouse.connect import connect

        with connect(paths().warehouse_db) as con:
            counts = views.refresh(con, datasets)
        context.log.info(
            f"raw.{rows}: {sum(counts.values())} current rows in {len(counts)} datasets"
        )
        attempt.note(
            paths().home,
            context.run.run_id,
            f"views.{rows}",
            {"current_rows": sum(counts.values())},
        )
        yield dg.MaterializeResult(
            asset_key=list(keys.view_key(rows)),
            metadata={
                "current_rows": sum(counts.values()),
                "rows_by_dataset": dg.MetadataValue.json(counts),
            },
        )
        yield dg.MaterializeResult(
            asset_key=list(keys.view_key(vintages)), metadata={"datasets": len(counts)}
        )

    return _views


def build_defs() -> dg.Definitions:
    reg = load_registry()
    taken = all_datasets(reg)  # a dataset whose source names no folder is an error
    assets = [build_dataset_asset(kind, d) for kind, d in taken]
    by_views: dict[tuple[str, str], tuple[Views, list[Dataset]]] = {}
    for kind, d in taken:
        if kind.views is not None:
            by_views.setdefault(kind.views.names, (kind.views, []))[1].append(d)
    for views, datasets in by_views.values():
        assets.append(build_views_asset(views, datasets, [dataset_key(d) for d in datasets]))
    return dg.Definitions(assets=assets)


def views_keys() -> list[dg.AssetKey]:
    """Every raw view of every source (what the unchanged-inputs decision waits for)."""
    reg = load_registry()
    names = {kind.views.names for kind, _ in all_datasets(reg) if kind.views is not None}
    return [dg.AssetKey(list(keys.view_key(n))) for pair in sorted(names) for n in pair]
