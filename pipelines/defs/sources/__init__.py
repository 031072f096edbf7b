"""Dagster wiring of stage 2: one asset per dataset of every source (pipelines/sources/, found
by `kinds.py`), each running locate -> fetch -> check -> load (`pipelines.sources.ingest`),
and per kind of raw views one asset over the datasets that feed them.

`raw.observations` waits for every dataset that keeps vintages (every source's, deliveries
too): it is where the unchanged-inputs decision is taken (pipelines.publish.decision)."""

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
        return dg.MaterializeResult(metadata={**outcome.metadata(), **_last_updated(outcome)})

    return _ingest


def _unchanged_since_publication(context: dg.AssetExecutionContext) -> str | None:
    """The last publication's id when this run was asked to skip unchanged work (tag
    `monitor/skip_unchanged`, set by `monitor refresh`) and every vintage, the marts and the
    inputs fingerprint are as published; else None (build everything)."""
    tags = context.run.tags
    if tags.get("monitor/skip_unchanged") != "1":
        return None
    from pipelines.publish.decision import check_after_ingest

    unchanged, reason = check_after_ingest(paths(), tags.get("monitor/inputs_fingerprint", ""))
    if unchanged is None:
        context.log.info(f"building: {reason}")
        return None
    context.log.info(
        f"nothing changed since publication {unchanged.publication_id}: no dataset has a new "
        "vintage and the inputs fingerprint is the same; dbt, gate and publication skipped"
    )
    return unchanged.publication_id


def build_views_asset(
    views: Views, datasets: list[Dataset], deps: list[dg.AssetKey], decides: bool
) -> dg.AssetsDefinition:
    """raw.<names[0]> and raw.<names[1]> over `datasets`; `decides`: the view that takes the
    unchanged-inputs decision (no output when nothing changed: the rest is skipped)."""
    rows, vintages = views.names

    @dg.multi_asset(
        name=views.asset,
        specs=[
            raw_view_spec(rows, deps, views.descriptions[0], skippable=decides),
            raw_view_spec(vintages, deps, views.descriptions[1], skippable=decides),
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
        unchanged = _unchanged_since_publication(context) if decides else None
        if unchanged:  # no output: dbt, the models gate and the publication are skipped
            yield dg.AssetObservation(
                asset_key=list(keys.view_key(rows)), metadata={"unchanged_since": unchanged}
            )
            return
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
    # the decision must see every vintage of this run: it waits for every dataset with views
    with_vintages = [dataset_key(d) for kind, d in taken if kind.views is not None]
    by_views: dict[tuple[str, str], tuple[Views, list[Dataset]]] = {}
    for kind, d in taken:
        if kind.views is not None:
            by_views.setdefault(kind.views.names, (kind.views, []))[1].append(d)
    for names, (views, datasets) in by_views.items():
        decides = keys.view_key(names[0]) == keys.RAW_OBSERVATIONS
        deps = with_vintages if decides else [dataset_key(d) for d in datasets]
        assets.append(build_views_asset(views, datasets, deps, decides))
    return dg.Definitions(assets=assets)
