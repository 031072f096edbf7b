"""The registry (registry/*.yaml) validated and loaded into the warehouse's `registry` schema."""

import dagster as dg

from pipelines.registry import REGISTRY_TABLES as TABLES
from pipelines.registry import load_registry
from pipelines.settings import config, paths


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["registry", table],
            group_name="raw",
            description=f"Registry table `{table}` from registry/*.yaml (checked against registry/schema).",
            kinds={"yaml", "duckdb"},
            owners=["team:data-engineering"],
            tags={"layer": "raw"},
        )
        for table in TABLES
    ],
    pool="warehouse",
)
def registry_tables(context: dg.AssetExecutionContext):
    from pipelines.registry.tables import registry_frames  # Polars, DuckDB: at run time
    from pipelines.warehouse.connect import connect, write_frames

    reg = load_registry()
    frames = registry_frames(reg, config())
    with connect(paths().ensure().warehouse_db) as con:
        write_frames(con, "registry", frames)
    context.log.info(
        f"registry: {len(reg.indicators)} indicators, {len(reg.targets)} targets, "
        f"{len(reg.datasets)} datasets, {len(reg.geographies)} geographies"
    )
    for table in TABLES:
        yield dg.MaterializeResult(
            asset_key=["registry", table],
            metadata={"rows": dg.MetadataValue.int(frames[table].height)},
        )


defs = dg.Definitions(assets=[registry_tables])
