"""One dataset from its origin into the warehouse: acquire -> snapshot -> verify -> parse ->
check against the registry -> load. Each step fails with a message naming the dataset."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipelines.lib.quarantine import quarantine
from pipelines.lib.snapshots import Snapshot, SnapshotError
from pipelines.lib.sources import SourceSpec, acquire
from pipelines.parsing import NO_DATA, ObservationStream, ParseError, parse_stream
from pipelines.settings import Paths
from pipelines.sources.raw_tables import load_observations
from pipelines.warehouse.connect import connect

#: Dimensions a producer may add without changing what a registry filter selects.
TOLERATED_EXTRA_DIMENSIONS = {"freq"}


class IngestError(RuntimeError):
    """A raw file that must not be loaded; the warehouse was not changed."""


@dataclass
class IngestOutcome:
    dataset: str
    snapshot_id: str
    mode: str
    note: str
    observations: int
    format: str
    loaded: bool
    sha256: str
    origin: str
    last_update: str | None
    retrieved_at: str = ""
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        state = "loaded" if self.loaded else "already loaded"
        return (
            f"{self.dataset}: {self.observations} observations ({self.format}), snapshot "
            f"{self.snapshot_id} [{self.mode}], {self.note}, {state}"
        )

    def metadata(self) -> dict[str, Any]:
        return {
            "observations": self.observations,
            "snapshot_id": self.snapshot_id,
            "sha256": self.sha256,
            "mode": self.mode,
            "is_sample": self.mode == "sample",
            "format": self.format,
            "origin": self.origin,
            "note": self.note,
            "producer_last_update": self.last_update or "",
        }


def ingest_dataset(
    spec: SourceSpec,
    source: str,
    code: str,
    entry: dict,
    where: Paths,
    log=None,
    run_id: str | None = None,
) -> IngestOutcome:
    """`log` receives progress lines of a live download (retries, splits, async polling). A
    snapshot that fails verification, parsing or the registry's dimensions is quarantined."""
    live_fetch = None
    if spec.kind == "live":
        from pipelines.lib.eurostat import live_fetcher

        live_fetch = live_fetcher(log=log)
    acquired = acquire(spec, source, code, where.raw, live_fetch=live_fetch)
    snap = acquired.snapshot
    try:
        parsed = _read_checked(snap, code, entry)
        # a TSV is parsed batch by batch as it is loaded: an error in any batch rolls it back
        try:
            with connect(where.warehouse_db) as con:
                loaded, observations = load_observations(con, source, snap, parsed)
        except ParseError as exc:
            raise IngestError(f"{code}: {exc}") from exc
    except (IngestError, SnapshotError, ValueError) as exc:
        stage = "parse" if isinstance(exc.__cause__, ParseError) else "ingest"
        set_aside = quarantine(snap, stage, str(exc), run_id)
        if set_aside is not None:
            raise IngestError(
                f"{exc} [snapshot {snap.snapshot_id} quarantined: it will not become the "
                "current vintage; `monitor quarantine list`]"
            ) from exc
        raise
    note = acquired.note
    if observations == 0 and "no data for this filter" not in note:
        # an answer that matches no data is loaded as such; the raw gate names what it lacks
        note = f"{'; '.join(parsed.warnings) or NO_DATA}; {note}"
    return IngestOutcome(
        dataset=code,
        snapshot_id=snap.snapshot_id,
        mode=snap.mode,
        note=note,
        observations=observations,
        format=parsed.format,
        loaded=loaded,
        sha256=snap.meta["sha256"],
        origin=snap.meta["origin"],
        last_update=parsed.last_update.isoformat() if parsed.last_update else None,
        retrieved_at=str(snap.meta.get("retrieved_at", "")),
        warnings=parsed.warnings,
    )


def _read_checked(snap: Snapshot, code: str, entry: dict) -> ObservationStream:
    """The snapshot's bytes verified, opened as a stream and checked against the registry
    entry (the observations themselves are parsed as they are loaded)."""
    data = snap.read_verified()
    try:
        parsed = parse_stream(data, str(snap.file), code)
    except ParseError as exc:
        raise IngestError(f"{code}: {exc}") from exc
    if parsed.format == "data-explorer-csv":
        raise IngestError(
            f"{code}: {snap.file} is a Data Explorer export with labels instead of codes; "
            "it cannot be matched to the registry. Provide the TSV or SDMX-CSV download."
        )
    _check_dimensions(code, entry, parsed.dimensions, snap.meta.get("origin") or str(snap.file))
    return parsed


def _check_dimensions(code: str, entry: dict, found: list[str], file: str) -> None:
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
