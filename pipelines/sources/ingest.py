"""One dataset from its origin into the warehouse, for every source alike:
locate -> fetch -> check -> load, one `Outcome`. A stored snapshot that `check` or `load`
refuses is quarantined (pipelines.sources.quarantine): it never becomes a current vintage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.sources.base import Dataset, Log, Outcome, Refused, Source, SourceSpec
from pipelines.sources.quarantine import quarantine
from pipelines.sources.store import SnapshotError

if TYPE_CHECKING:
    from pipelines.settings import Paths


class QuarantinedError(Refused):
    """A refused snapshot, now quarantined; the message says so after what was wrong."""

    def __init__(self, message: str, cause: Exception):
        super().__init__(message)
        self.stage = getattr(cause, "stage", "ingest")
        self.problems = getattr(cause, "problems", [])


def ingest(
    source: Source,
    spec: SourceSpec,
    dataset: Dataset,
    where: Paths,
    run_id: str | None = None,
    log: Log | None = None,
) -> Outcome:
    """`log` receives progress lines of a download (retries, splits, async polling)."""
    from pipelines.warehouse.connect import connect  # DuckDB: at run time

    located = source.locate(spec, dataset, where)
    acquired = source.fetch(located, dataset, where, log)
    snap = acquired.snapshot
    try:
        checked = source.check(acquired, dataset)
        with connect(where.warehouse_db) as con:
            loaded = source.load(con, acquired, dataset, checked)
    except (ValueError, SnapshotError) as exc:  # a Refused, a file's values, a bad checksum
        if snap is None:
            raise
        stage = getattr(exc, "stage", "ingest")
        if quarantine(snap, stage, str(exc), run_id) is None:
            raise  # the published vintage: the rules changed, not the file
        raise QuarantinedError(
            f"{exc} [snapshot {snap.snapshot_id} quarantined: it will not become the current "
            "vintage; `monitor quarantine list`]",
            exc,
        ) from exc
    meta = snap.meta if snap is not None else {}
    return Outcome(
        kind=source.name,
        source=dataset.source,
        dataset=dataset.code,
        count=loaded.count,
        unit=source.unit,
        note=loaded.note or acquired.note,
        loaded=loaded.new,
        snapshot_id=snap.snapshot_id if snap is not None else None,
        mode=meta.get("mode", ""),
        sha256=meta.get("sha256", ""),
        origin=meta.get("origin", ""),
        format=loaded.format,
        last_update=loaded.last_update,
        retrieved_at=str(meta.get("retrieved_at", "")),
        warnings=[*acquired.warnings, *loaded.warnings],
        details=loaded.details,
    )
