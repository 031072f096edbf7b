"""Asset specs shared by the raw layer's view assets."""

import dagster as dg


def raw_view_spec(name: str, deps: list[dg.AssetKey], description: str) -> dg.AssetSpec:
    """A DuckDB view `raw.<name>` over the ingest assets `deps`."""
    return dg.AssetSpec(
        ["raw", name],
        deps=deps,
        group_name="raw",
        description=f"View raw.{name}: {description}",
        kinds={"duckdb"},
        tags={"layer": "raw"},
    )
