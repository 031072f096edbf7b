"""Eurostat as a source: the bundled sample, `dir:` files or the dissemination API (`client/`),
parsed by `parsing/` (bulk TSV, SDMX TSV, SDMX-CSV, JSON-stat), into raw."eurostat__<code>"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.sources.base import Acquired, Dataset, Loaded, Log
from pipelines.sources.observations import IngestError, ObservationSource

if TYPE_CHECKING:
    from pipelines.settings import Paths
    from pipelines.sources.eurostat.parsing import ObservationStream


class EurostatSource(ObservationSource):
    name = "eurostat"
    producer = "Eurostat"

    @property
    def no_data(self) -> str:
        from pipelines.sources.eurostat.parsing import NO_DATA

        return NO_DATA

    def code_of(self, file_name: str) -> str:
        from pipelines.sources.eurostat.parsing import dataset_code_from_name

        return dataset_code_from_name(file_name)

    def fetch_live(self, dataset: Dataset, where: Paths, log: Log | None) -> Acquired:
        """Release check, then a filtered download only when Eurostat has a new release."""
        from pipelines.sources.eurostat.client import live_fetcher

        return live_fetcher(log=log)(dataset.code, where.raw)

    def open_stream(self, data: bytes, file: str, dataset: str) -> ObservationStream:
        from pipelines.sources.eurostat.parsing import ParseError, parse_stream

        try:
            parsed = parse_stream(data, file, dataset)
        except ParseError as exc:
            raise IngestError(f"{dataset}: {exc}", stage="parse") from exc
        if parsed.format == "data-explorer-csv":
            raise IngestError(
                f"{dataset}: {file} is a Data Explorer export with labels instead of codes; "
                "it cannot be matched to the registry. Provide the TSV or SDMX-CSV download."
            )
        return parsed

    def load(self, con, acquired: Acquired, dataset: Dataset, checked) -> Loaded:
        """A TSV is parsed batch by batch as it is loaded: an error in any batch rolls the
        load back and refuses the file."""
        from pipelines.sources.eurostat.parsing import ParseError

        try:
            return super().load(con, acquired, dataset, checked)
        except ParseError as exc:
            raise IngestError(f"{dataset.code}: {exc}", stage="parse") from exc


SOURCE = EurostatSource()
