"""What every source implements, and the one thing it returns.

    locate  where this run finds a dataset's bytes: a file (the bundled sample, a `dir:` folder,
            the intake folder), the producer's API (`live`), or a stored snapshot (`--as-of`, or
            the last accepted one when the source does not bring the dataset this time)
    fetch   those bytes into the snapshot store: a new vintage, or the unchanged one
    check   the snapshot verified and read against the registry: what would be loaded
    load    into the dataset's raw tables in one transaction, as the current vintage

`ingest` runs the four for one dataset and returns its `Outcome`; a snapshot that `check` or
`load` refuses is quarantined and never becomes a current vintage. A source is a folder of
`pipelines/sources/` whose package names an instance of `Source` as `SOURCE` (`kinds.py`
finds them); `observations.py` is the base of every API source of observations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import duckdb

    from pipelines.registry import Registry
    from pipelines.settings import Paths
    from pipelines.sources.store import Snapshot

Log = Callable[[str], None]


class SourceError(RuntimeError):
    """A raw file that could not be obtained; nothing was changed."""


class Refused(ValueError):
    """A file that must not be loaded: what is wrong with it, in `problems` when there are
    several (file, sheet, row, column). `stage` names the step that refused it."""

    stage = "ingest"
    problems: list[Any] = []  # noqa: RUF012 - a refusal without a list of problems


@dataclass(frozen=True)
class SourceSpec:
    """Where a run's files come from: `sample` (the bundled SAMPLE data), `live` (the
    producers' APIs and the intake folder), `dir:PATH` (files named by their dataset code) or
    `asof:DATE` (stored snapshots only, no network)."""

    kind: str  # "sample", "live", "dir" or "asof"
    path: Path | None = None
    as_of: date | None = None

    @classmethod
    def parse(cls, text: str) -> SourceSpec:
        text = (text or "sample").strip()
        if text in ("sample", "live"):
            return cls(text)
        if text.startswith("asof:"):
            try:
                return cls("asof", as_of=date.fromisoformat(text[5:]))
            except ValueError as exc:
                raise SourceError(f"--as-of {text[5:]!r}: expected a date YYYY-MM-DD") from exc
        if text.startswith("dir:"):
            folder = Path(text[4:]).expanduser().resolve()
            if not folder.is_dir():
                raise SourceError(f"--source {text}: {folder} is not a folder")
            return cls("dir", folder)
        raise SourceError(f"unknown source {text!r}; use sample, live or dir:PATH")

    def __str__(self) -> str:
        if self.kind == "asof":
            return f"asof:{self.as_of.isoformat()}"
        return f"dir:{self.path}" if self.kind == "dir" else self.kind


@dataclass(frozen=True)
class Dataset:
    """One dataset as its source ingests it, into raw."<source>__<code>"."""

    kind: str  # the source (folder) that ingests it
    source: str  # the table prefix: eurostat, or a delivery's producer (vdab, partner, ...)
    code: str
    title: str
    entry: dict[str, Any]  # its registry entry (a delivery as a dataset entry)
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    url: str = ""
    spec: Any = None  # the source's own model of it (a delivery template)

    @property
    def name(self) -> str:
        return f"{self.source}__{self.code}"


@dataclass(frozen=True)
class Located:
    """Where this run finds a dataset: a file (`path`), a stored snapshot (`kept`), or neither
    (the source's API). `missing` says why no file was found (for the no-change check)."""

    mode: str  # the snapshot mode of what is found: sample, dir, intake or live
    path: Path | None = None
    kept: Snapshot | None = None
    note: str = ""
    missing: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Acquired:
    """A dataset's bytes in the snapshot store (None for a source that keeps no snapshot:
    then `path` is its file, read where it lies)."""

    snapshot: Snapshot | None
    created: bool
    note: str
    warnings: tuple[str, ...] = ()
    path: Path | None = None


@dataclass(frozen=True)
class Loaded:
    new: bool  # False: loaded before, only the current marker moved
    count: int
    format: str = ""
    last_update: str | None = None
    warnings: tuple[str, ...] = ()
    note: str = ""  # replaces the fetch note when set
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """What the ingest of one dataset did, in the words of the summary and the ledger."""

    kind: str
    source: str
    dataset: str
    count: int
    unit: str  # "obs", "rows" or "cells"
    note: str
    loaded: bool
    snapshot_id: str | None = None
    mode: str = ""
    sha256: str = ""
    origin: str = ""
    format: str = ""
    last_update: str | None = None
    retrieved_at: str = ""
    warnings: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        state = "loaded" if self.loaded else "already loaded"
        if self.snapshot_id is None:
            return f"{self.dataset}: {self.note}"
        return (
            f"{self.dataset}: {self.count} {self.unit}"
            + (f" ({self.format})" if self.format else "")
            + f", snapshot {self.snapshot_id} [{self.mode}], {self.note}, {state}"
        )

    def metadata(self) -> dict[str, Any]:
        """The asset's materialization metadata."""
        counts = {"observations": self.count}
        if self.unit != "obs":
            counts = {self.unit: self.count, **counts}
        if self.snapshot_id is None:
            return {**counts, "note": self.note, **self.details}
        return {
            **counts,
            "snapshot_id": self.snapshot_id,
            "sha256": self.sha256,
            "mode": self.mode,
            "is_sample": self.mode == "sample",
            "format": self.format,
            "origin": self.origin,
            "note": self.note,
            "producer_last_update": self.last_update or "",
            **self.details,
        }

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Outcome:
        return cls(**{k: v for k, v in doc.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Views:
    """Raw views over every dataset of the sources that share them (`names[0]` holds the
    rows, `names[1]` the vintages); `refresh` (re)creates them and counts current rows."""

    names: tuple[str, str]
    descriptions: tuple[str, str]
    refresh: Callable[[duckdb.DuckDBPyConnection, list[Dataset]], dict[str, int]]
    asset: str  # the name of the step that (re)creates them


class Source(Protocol):
    """A kind of source: a folder of pipelines/sources/ (its name is the folder's)."""

    name: str
    views: Views | None  # the raw views its datasets feed (None: its table is read directly)
    unit: str  # what `count` counts: obs, rows or cells

    def datasets(self, reg: Registry) -> list[Dataset]:
        """The registry datasets this source ingests."""
        ...

    def locate(self, spec: SourceSpec, dataset: Dataset, where: Paths) -> Located: ...

    def fetch(
        self, located: Located, dataset: Dataset, where: Paths, log: Log | None = None
    ) -> Acquired: ...

    def check(self, acquired: Acquired, dataset: Dataset) -> Any:
        """What `load` will write; raises `Refused` (or `SnapshotError`) for a bad file."""
        ...

    def load(
        self, con: duckdb.DuckDBPyConnection, acquired: Acquired, dataset: Dataset, checked: Any
    ) -> Loaded: ...
