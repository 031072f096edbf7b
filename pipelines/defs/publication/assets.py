"""Publication: the gated marts into `published/monitor.duckdb` (atomic), then the report."""

import dagster as dg

from pipelines.defs.dbt.assets import mart_keys
from pipelines.defs.publication.decision import inputs_decision
from pipelines.publish import attempt, keys
from pipelines.publish.keys import asset_key
from pipelines.settings import paths

PUBLISHED_KEY = asset_key(keys.PUBLISHED)


@dg.asset(
    key=PUBLISHED_KEY,
    deps=mart_keys(),
    group_name="publication",
    description="The published DuckDB file committees query read-only; replaced atomically, only after a passed gate.",
    kinds={"duckdb"},
    owners=["team:statistics"],
    tags={"layer": "publication"},
    pool="warehouse",
)
def published_database(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from pipelines.publish.publication import PublicationRefused, check_gate, publish  # DuckDB

    where = paths().ensure()
    try:
        gates = check_gate(where.warehouse_db, where.quality)
    except PublicationRefused as exc:
        attempt.refused(where.ledger, context.run.run_id, str(exc))
        raise dg.Failure(description=f"publication refused: {exc}") from exc
    from pipelines.publish.fingerprint import inputs_fingerprint

    # what the publication is made from (for `monitor refresh` to tell that nothing changed):
    # computed by the CLI before the run, or here for runs launched from the UI
    fingerprint = context.run.tags.get("monitor/inputs_fingerprint") or inputs_fingerprint()
    result = publish(
        where.warehouse_db,
        where.published_db,
        where.ledger,
        gates,
        {"run_id": context.run.run_id, "inputs_fingerprint": fingerprint},
    )
    label = "SAMPLE DATA" if result.is_sample else "producer data"
    context.log.info(f"published {result.publication_id} ({label}) to {result.path}")
    from pipelines.warehouse.engines.server_run import server_engine

    if server_engine() == "postgres":  # the committees' schema; the file stays the export
        from pipelines.publish.postgres import SCHEMA, publish_postgres
        from pipelines.warehouse.engines.settings import PostgresSettings

        settings = PostgresSettings.from_env()
        publish_postgres(result.path, settings)
        context.log.info(f"published {result.publication_id} to {settings} schema {SCHEMA}")
    attempt.note(
        where.home,
        context.run.run_id,
        "published",
        {
            "publication_id": result.publication_id,
            "path": str(result.path),
            "is_sample": result.is_sample,
            "table_rows": result.tables,
        },
    )
    return dg.MaterializeResult(
        metadata={
            "publication_id": result.publication_id,
            "path": str(result.path),
            "is_sample": result.is_sample,
            "table_rows": dg.MetadataValue.json(result.tables),
            "gate_warnings": sum(len(g.failures("warn")) for g in gates),
        }
    )


@dg.asset(
    key=asset_key(keys.REPORT),
    deps=[PUBLISHED_KEY],
    group_name="publication",
    description="Static HTML monitoring report built from the published database only.",
    kinds={"html"},
    owners=["team:statistics"],
    tags={"layer": "publication"},
    # on Celery (pipelines/warehouse/distributed) the report has a queue and worker of its own;
    # it reads only the published file. The in-process executor ignores this tag.
    op_tags={"dagster-celery/queue": "report"},
)
def report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from pipelines.report import build_report
    from pipelines.warehouse.engines.server_run import server_engine

    where = paths()
    source = where.published_db
    if server_engine() == "postgres":  # the committees' schema, read as the committee role
        from pipelines.publish.postgres import committee_settings, export_published

        source = where.published_db.with_name("from-postgres.duckdb")
        export_published(committee_settings(), source)
        context.log.info(f"report reads the published schema of {committee_settings()}")
    built = build_report(source, where.report_dir, quality_dir=where.quality)
    context.log.info(f"report: {built.pages} pages built in {built.seconds:.2f}s into {built.path}")
    attempt.note(
        where.home,
        context.run.run_id,
        "report",
        {"path": str(built.path / "index.html"), "pages": built.pages, "seconds": built.seconds},
    )
    return dg.MaterializeResult(
        metadata={
            "path": str(built.path / "index.html"),
            "pages": built.pages,
            "files": built.files,
            "build_seconds": round(built.seconds, 2),
        }
    )


defs = dg.Definitions(assets=[inputs_decision, published_database, report])
