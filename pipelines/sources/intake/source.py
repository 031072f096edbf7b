"""One delivery from its folder into the warehouse: locate -> safety -> read -> validate ->
snapshot -> re-read the snapshot -> load. A refused file leaves no snapshot and no rows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.registry.deliveries import Delivery
from pipelines.settings import Paths
from pipelines.sources.base import SourceSpec
from pipelines.sources.files import kept_as_of
from pipelines.sources.intake.load import load_delivery, rows_frame
from pipelines.sources.intake.locate import Found, find, folders
from pipelines.sources.intake.problems import DeliveryError, Problem
from pipelines.sources.intake.read import read_table
from pipelines.sources.intake.safety import (
    Limits,
    csv_problems,
    name_problems,
    size_problems,
    workbook_problems,
)
from pipelines.sources.intake.validate import validate
from pipelines.sources.quarantine import last_accepted, quarantine, skipped_note
from pipelines.sources.store import Snapshot, SnapshotError, store_snapshot
from pipelines.warehouse.connect import connect


@dataclass
class DeliveryOutcome:
    code: str
    snapshot_id: str
    mode: str
    note: str
    rows: int
    loaded: bool
    sha256: str
    origin: str
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        state = "loaded" if self.loaded else "already loaded"
        return f"{self.code}: {self.rows} rows, snapshot {self.snapshot_id} [{self.mode}], {self.note}, {state}"

    def metadata(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "observations": self.rows,
            "snapshot_id": self.snapshot_id,
            "sha256": self.sha256,
            "mode": self.mode,
            "is_sample": self.mode == "sample",
            "origin": self.origin,
            "note": self.note,
        }


def check_file(
    delivery: Delivery, path: Path, limits: Limits | None = None
) -> tuple[bytes, pl.DataFrame]:
    """Every check on a file as it lies on disk (its size before reading it): the bytes
    read and the typed rows."""
    limits = limits or Limits.from_config()
    problems = name_problems(path.name) or size_problems(path.name, path.stat().st_size, limits)
    if problems:
        raise DeliveryError(delivery.code, problems)
    data = path.read_bytes()
    return data, check_bytes(delivery, path.name, data, limits)


def check_bytes(
    delivery: Delivery, name: str, data: bytes, limits: Limits | None = None
) -> pl.DataFrame:
    limits = limits or Limits.from_config()
    problems: list[Problem] = name_problems(name) or size_problems(name, len(data), limits)
    if not problems:
        is_csv = name.lower().endswith(".csv")
        problems = csv_problems(name, data) if is_csv else workbook_problems(name, data, limits)
    if problems:
        raise DeliveryError(delivery.code, problems)
    table, problems = read_table(name, data, delivery.sheet)
    if table is None:
        raise DeliveryError(delivery.code, problems)
    rows, problems = validate(delivery, name, table, name.upper().startswith("SAMPLE_"))
    if problems:
        raise DeliveryError(delivery.code, problems)
    return rows_frame(delivery, rows)


def ingest_delivery(
    spec: SourceSpec, delivery: Delivery, where: Paths, run_id: str | None = None
) -> DeliveryOutcome:
    """A stored vintage that the checks refuse when it is read again is quarantined."""
    found = None
    for folder, kind in folders(spec):
        found = find(delivery.code, folder, kind)
        if found:
            break
    warnings: list[str] = []
    if spec.kind == "asof":
        located = kept_as_of(spec, where.raw, delivery.source, delivery.code)
        snap, note = located.kept, located.note
    elif found is not None:
        snap, created = _snapshot(delivery, found, where)
        note = "new vintage" if created else "unchanged; no new vintage"
    else:
        snap = last_accepted(where.raw, delivery.source, delivery.code)
        skipped = skipped_note(where.raw, delivery.source, delivery.code, snap)
        searched = ", ".join(str(f) for f, _ in folders(spec))
        if snap is None:
            if spec.kind == "sample":
                raise DeliveryError(
                    delivery.code, [Problem(searched, f"no SAMPLE_{delivery.code} file")]
                )
            fallback = find(delivery.code, *folders(SourceSpec("sample"))[0])
            if fallback is None:
                raise DeliveryError(
                    delivery.code, [Problem(searched, f"no file for {delivery.code}")]
                )
            snap, _ = _snapshot(delivery, fallback, where)
            note = f"no delivery in {searched}; bundled SAMPLE used"
            warnings.append(note)
        else:
            note = f"not in {searched}; kept snapshot {snap.snapshot_id}"
        if skipped:
            note += f" ({skipped})"
    try:
        frame = check_bytes(delivery, snap.meta["file"], snap.read_verified())
    except (DeliveryError, SnapshotError) as exc:  # a stored vintage the checks now refuse
        quarantine(snap, "ingest", str(exc), run_id)
        raise
    with connect(where.warehouse_db) as con:
        loaded = load_delivery(con, delivery, snap, frame)
    return DeliveryOutcome(
        code=delivery.code,
        snapshot_id=snap.snapshot_id,
        mode=snap.mode,
        note=note,
        rows=frame.height,
        loaded=loaded,
        sha256=snap.meta["sha256"],
        origin=snap.meta["origin"],
        warnings=warnings,
    )


def _snapshot(delivery: Delivery, found: Found, where: Paths) -> tuple[Snapshot, bool]:
    """Validate the file as found, then store it as a vintage (nothing is stored if refused)."""
    data, _ = check_file(delivery, found.path)  # the bytes stored are the bytes checked
    template = hashlib.sha256(delivery.path.read_bytes()).hexdigest()
    return store_snapshot(
        where.raw,
        source=delivery.source,
        dataset=delivery.code,
        data=data,
        filename=found.path.name,
        mode="sample" if found.is_sample else found.origin_kind,
        origin=str(found.path),
        retrieved_at=datetime.now(UTC),
        extra={
            "file_modified_at": datetime.fromtimestamp(found.path.stat().st_mtime, UTC).isoformat(),
            "template": f"registry/deliveries/{delivery.path.name}",
            "template_sha256": template,
            "sheet": None if found.path.name.lower().endswith(".csv") else delivery.sheet,
        },
    )
