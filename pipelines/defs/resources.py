"""Resources shared by the ingest assets."""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg

if TYPE_CHECKING:
    from pipelines.sources.files import SourceSpec


class SourceResource(dg.ConfigurableResource):
    """Where raw files come from for this run: `sample` (bundled SAMPLE data, the default),
    `live` (Eurostat's API) or `dir:PATH` (files named by dataset code in a folder)."""

    spec: str = "sample"

    def parsed(self) -> SourceSpec:
        from pipelines.sources.files import SourceSpec  # the parsers load at run time only

        return SourceSpec.parse(self.spec)
