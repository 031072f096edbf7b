"""The base of every API source of observations (Eurostat, and the next one).

Its datasets are the registry's `datasets.yaml` entries whose `source:` names the folder; a
file is found by its dataset code (the bundled sample, `dir:`), the live API is the
subclass's `fetch_live`, the snapshot is read by the subclass's `open_stream` and checked
against the registry's dimensions, and loaded into raw."<source>__<code>" with every vintage
(`raw_tables.load_observations`), under the views raw.observations and raw.snapshots.

A subclass names itself and writes two methods:

    class Source(ObservationSource):
        name = "mystat"                       # = its folder, = `source:` in datasets.yaml
        def fetch_live(self, dataset, where, log) -> Acquired: ...   # bytes -> store_snapshot
        def open_stream(self, data, file, dataset) -> ObservationBatches: ...
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pipelines.sources.base import (
    Acquired,
    Dataset,
    Loaded,
    Located,
    Log,
    Refused,
    SourceSpec,
    Views,
)
from pipelines.sources.files import code_from_name, fetch_located, locate_file

if TYPE_CHECKING:  # DuckDB and Polars load with the steps that use them, not the definitions
    import duckdb
    import polars as pl

    from pipelines.registry import Registry
    from pipelines.settings import Paths
    from pipelines.sources.raw_tables import ObservationBatches

#: Dimensions a producer may add without changing what a registry filter selects.
TOLERATED_EXTRA_DIMENSIONS = {"freq"}


class IngestError(Refused):
    """A raw file that must not be loaded; the warehouse was not changed."""

    def __init__(self, message: str, stage: str = "ingest"):
        super().__init__(message)
        self.stage = stage


def _refresh_views(con: duckdb.DuckDBPyConnection, datasets: list[Dataset]) -> dict[str, int]:
    from pipelines.sources.raw_tables import refresh_raw_views

    return refresh_raw_views(con, [(d.source, d.code) for d in datasets])


OBSERVATION_VIEWS = Views(
    names=("observations", "snapshots"),
    descriptions=(
        "all datasets' observations (every vintage).",
        "provenance of every stored vintage; is_current marks the one in use.",
    ),
    refresh=_refresh_views,
    asset="raw_views",
)


@dataclass
class ObservationFrame:
    """One frame of observations as a stream of one batch (for a source whose files are
    small): columns per dimension (geo among them), time, value, flags, conf_status."""

    frame: pl.DataFrame
    dimensions: list[str]
    format: str
    last_update: datetime | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.frame.height

    def __iter__(self) -> Iterator[pl.DataFrame]:
        yield self.frame


class ObservationSource(ABC):
    """Locate, fetch, check and load for an API source of observations (see the module)."""

    name: str
    producer: str = ""  # as the asset's description names it
    views = OBSERVATION_VIEWS
    unit = "obs"
    no_data = "no observations"  # the note of a vintage of zero observations without warnings

    # -- what a subclass writes ------------------------------------------------------------
    def fetch_live(self, dataset: Dataset, where: Paths, log: Log | None) -> Acquired:
        """A source without an API of its own is refused on `--source live` (sample and
        dir: files still load)."""
        raise IngestError(
            f"{dataset.code}: source {self.name} has no live API; "
            "use --source sample or --source dir:PATH"
        )

    @abstractmethod
    def open_stream(self, data: bytes, file: str, dataset: str) -> ObservationBatches:
        """Parse a file's bytes into batches of observations."""

    def code_of(self, file_name: str) -> str:
        """The dataset code a file's name stands for."""
        return code_from_name(file_name)

    # -- the protocol ----------------------------------------------------------------------
    def datasets(self, reg: Registry) -> list[Dataset]:
        out = []
        for code, entry in reg.datasets.items():
            if entry["source"] != self.name or entry.get("delivery"):
                continue
            out.append(
                Dataset(
                    kind=self.name,
                    source=self.name,
                    code=code,
                    title=entry["title"],
                    entry=entry,
                    description=f"{entry['title']} ({self.producer or self.name} `{code}`): "
                    f'every vintage loaded into raw."{self.name}__{code}".',
                    tags={"layer": "raw", "source": self.name},
                    metadata={"dataset": code},
                    url=entry.get("url", ""),
                )
            )
        return out

    def locate(self, spec: SourceSpec, dataset: Dataset, where: Paths) -> Located:
        return locate_file(spec, self.name, dataset.code, where.raw, self.code_of)

    def fetch(
        self, located: Located, dataset: Dataset, where: Paths, log: Log | None = None
    ) -> Acquired:
        if located.mode == "live" and located.kept is None:
            return self.fetch_live(dataset, where, log)
        return fetch_located(where.raw, self.name, dataset.code, located)

    def check(self, acquired: Acquired, dataset: Dataset) -> ObservationBatches:
        """The snapshot's bytes verified, opened as a stream and checked against the registry
        entry (the observations themselves are parsed as they are loaded)."""
        snap = acquired.snapshot
        data = snap.read_verified()
        parsed = self.open_stream(data, str(snap.file), dataset.code)
        file = snap.meta.get("origin") or str(snap.file)
        _check_dimensions(dataset.code, dataset.entry, parsed.dimensions, file)
        return parsed

    def load(
        self,
        con: duckdb.DuckDBPyConnection,
        acquired: Acquired,
        dataset: Dataset,
        checked: ObservationBatches,
    ) -> Loaded:
        from pipelines.sources.raw_tables import load_observations

        new, count = load_observations(con, self.name, acquired.snapshot, checked)
        note = ""
        if count == 0 and "no data for this filter" not in acquired.note:
            # an answer that matches no data is loaded as such; the raw gate names what it lacks
            note = f"{'; '.join(checked.warnings) or self.no_data}; {acquired.note}"
        last_update = checked.last_update.isoformat() if checked.last_update else None
        return Loaded(
            new,
            count,
            format=checked.format,
            last_update=last_update,
            warnings=tuple(getattr(checked, "warnings", ())),
            note=note,
        )


def _check_dimensions(code: str, entry: dict[str, Any], found: list[str], file: str) -> None:
    expected = list(entry["dimensions"])
    missing = [d for d in expected if d not in found]
    extra = [d for d in found if d not in expected and d not in TOLERATED_EXTRA_DIMENSIONS]
    if missing or extra:
        raise IngestError(
            f"{code}: {file} has dimensions {', '.join(found)}; the registry expects "
            f"{', '.join(expected)}"
            + (f" (missing: {', '.join(missing)})" if missing else "")
            + (f" (unexpected: {', '.join(extra)})" if extra else "")
        )
