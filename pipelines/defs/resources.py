"""Resources shared by the ingest assets."""

from __future__ import annotations

import dagster as dg

from pipelines.lib.sources import SourceSpec


class SourceResource(dg.ConfigurableResource):
    """Where raw files come from for this run: `sample` (bundled SAMPLE data, the default),
    `live` (Eurostat's API) or `dir:PATH` (files named by dataset code in a folder)."""

    spec: str = "sample"

    def parsed(self) -> SourceSpec:
        return SourceSpec.parse(self.spec)
