"""Quarantine: raw snapshots that failed their ingest (checksum, parse, dimensions) or the
raw quality gate. A quarantined snapshot never becomes the current vintage of its dataset or
delivery: when a source does not bring the dataset again (a `dir:` folder without it, a live
release check that sees no new release), the last accepted vintage is used instead.

The snapshot itself stays where it is, unchanged (snapshot folders never change once
written); its state is `raw/<source>/<dataset>/quarantine/<snapshot_id>.json` (mutable, like
the live client's `release.json` beside it), and every change is appended to
`$MONITOR_HOME/ledger/quarantine.jsonl`:

- `quarantined` — refused, with the stage and the reason; listed by `monitor status`;
- `dropped`     — cleared by the team (`monitor quarantine drop ID`): no longer listed, still
  never used unless the same file is offered again and passes;
- `released`    — offered again and accepted by every check (e.g. after a registry fix).

A snapshot of the current publication is never quarantined: it passed every check once, so
when it fails now the rules changed, not the file (the run fails as before).
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.sources.store import Snapshot, list_snapshots
from pipelines.warehouse import ledger

MARKERS = "quarantine"  # the folder of state files, beside a dataset's snapshot folders
LOG_NAME = "quarantine.jsonl"
STAGES = ("ingest", "parse", "raw_gate")


@dataclass(frozen=True)
class Quarantined:
    """One quarantined (or dropped) snapshot, as listed by `monitor quarantine list`."""

    snapshot_id: str
    source: str
    dataset: str
    state: str  # quarantined | dropped
    stage: str  # ingest | parse | raw_gate
    reason: str
    quarantined_at: str
    origin: str
    folder: Path
    attempts: int = 1
    run_id: str | None = None
    dropped_at: str | None = None
    dropped_by: str | None = None
    note: str = ""

    def line(self, width: int = 160) -> str:
        reason = shorten(self.reason, width)
        dropped = (
            f", dropped {self.dropped_at[:19]} by {self.dropped_by}" if self.dropped_at else ""
        )
        return (
            f"{self.snapshot_id}  {self.source}/{self.dataset}  [{self.stage}] "
            f"{self.quarantined_at[:19]}{dropped}: {reason}"
        )


class QuarantineError(RuntimeError):
    """A quarantine command that cannot be done (unknown snapshot, already dropped)."""


def log_path(raw_root: Path) -> Path:
    """The quarantine log, beside the publication ledger."""
    return raw_root.parent / "ledger" / LOG_NAME


def marker_path(snapshot: Snapshot) -> Path:
    """Where the quarantine state of `snapshot` is kept (outside its immutable folder)."""
    return snapshot.folder.parent / MARKERS / f"{snapshot.snapshot_id}.json"


def marker(snapshot: Snapshot) -> dict[str, Any] | None:
    path = marker_path(snapshot)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def is_quarantined(snapshot: Snapshot) -> bool:
    """Quarantined or dropped: either way not an accepted vintage."""
    return marker_path(snapshot).is_file()


def quarantine(
    snapshot: Snapshot, stage: str, reason: str, run_id: str | None = None
) -> Quarantined | None:
    """Set `snapshot` aside. Returns None (and changes nothing) for a snapshot of the current
    publication."""
    if stage not in STAGES:
        raise ValueError(f"unknown quarantine stage {stage!r}")
    if snapshot.snapshot_id in published_snapshot_ids(_raw_root(snapshot).parent):
        return None
    previous = marker(snapshot) or {}
    now = datetime.now(UTC).isoformat()
    state = {
        "snapshot_id": snapshot.snapshot_id,
        "source": snapshot.meta["source"],
        "dataset": snapshot.meta["dataset"],
        "state": "quarantined",
        "stage": stage,
        "reason": reason,
        "quarantined_at": now,
        "first_quarantined_at": previous.get("first_quarantined_at", now),
        "attempts": int(previous.get("attempts", 0)) + 1,
        "run_id": run_id,
        "origin": snapshot.meta.get("origin", ""),
    }
    _write(marker_path(snapshot), state)
    _log(snapshot, "quarantined", stage=stage, reason=reason, run_id=run_id)
    return _entry(snapshot.folder, state)


def release(snapshot: Snapshot, why: str, run_id: str | None = None) -> bool:
    """Lift the quarantine of a snapshot that was offered again and passed; True if it had one."""
    path = marker_path(snapshot)
    if not path.is_file():
        return False
    path.unlink()
    _log(snapshot, "released", reason=why, run_id=run_id)
    return True


def drop(raw_root: Path, snapshot_id: str, note: str = "") -> Quarantined:
    """Clear a quarantined snapshot from the list (recorded; the snapshot is kept and stays
    unused)."""
    found = [
        q for q in list_quarantined(raw_root, include_dropped=True) if q.snapshot_id == snapshot_id
    ]
    if not found:
        raise QuarantineError(
            f"no quarantined snapshot {snapshot_id!r} under {raw_root} (see `monitor quarantine list`)"
        )
    entry = found[0]
    if entry.state == "dropped":
        raise QuarantineError(f"snapshot {snapshot_id} was already dropped at {entry.dropped_at}")
    path = entry.folder.parent / MARKERS / f"{entry.snapshot_id}.json"
    state = json.loads(path.read_text(encoding="utf-8"))
    state.update(
        state="dropped", dropped_at=datetime.now(UTC).isoformat(), dropped_by=_user(), note=note
    )
    _write(path, state)
    snapshot = Snapshot(entry.folder, json.loads((entry.folder / "snapshot.json").read_text()))
    _log(snapshot, "dropped", reason=note, by=state["dropped_by"])
    return _entry(entry.folder, state)


def list_quarantined(raw_root: Path, include_dropped: bool = False) -> list[Quarantined]:
    """Every quarantined snapshot (and the dropped ones with `include_dropped`), oldest first."""
    out = []
    for path in sorted(raw_root.glob(f"*/*/{MARKERS}/*.json")) if raw_root.is_dir() else []:
        state = json.loads(path.read_text(encoding="utf-8"))
        if include_dropped or state.get("state") == "quarantined":
            out.append(_entry(path.parent.parent / path.stem, state))
    return sorted(out, key=lambda q: (q.quarantined_at, q.snapshot_id))


def last_accepted(
    raw_root: Path, source: str, dataset: str, as_of: datetime | None = None
) -> Snapshot | None:
    """The newest vintage (retrieved on or before `as_of`) that is not quarantined."""
    snaps = [s for s in list_snapshots(raw_root, source, dataset) if not is_quarantined(s)]
    if as_of is not None:
        stamp = as_of.astimezone(UTC).isoformat()
        snaps = [s for s in snaps if s.meta["retrieved_at"] <= stamp]
    return snaps[-1] if snaps else None


def skipped_note(raw_root: Path, source: str, dataset: str, kept: Snapshot | None) -> str:
    """Says which quarantined snapshots newer than `kept` were passed over, and why ("" if none)."""
    after = kept.meta["retrieved_at"] if kept else ""
    newer = [
        q
        for q in list_quarantined(raw_root, include_dropped=True)
        if q.source == source
        and q.dataset == dataset
        and q.folder.is_dir()
        and _retrieved_at(q.folder) > after
    ]
    if not newer:
        return ""
    last = newer[-1]
    reason = shorten(last.reason, 200)
    more = f" and {len(newer) - 1} older one(s)" if len(newer) > 1 else ""
    return (
        f"the last accepted vintage: snapshot {last.snapshot_id}{more} is {last.state} "
        f"[{last.stage}]: {reason}"
    )


def shorten(text: str, width: int) -> str:
    """One line of at most `width` characters, cut in the middle: a reason starts with the
    dataset and file (or URL) and ends with what was wrong, and both matter."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    head = width // 3
    return f"{text[:head]}…{text[len(text) - (width - head - 1) :]}"


def _retrieved_at(folder: Path) -> str:
    return json.loads((folder / "snapshot.json").read_text(encoding="utf-8"))["retrieved_at"]


def quarantined_ids(raw_root: Path) -> set[str]:
    """Ids of every quarantined or dropped snapshot (for the raw gate's comparisons)."""
    return {q.snapshot_id for q in list_quarantined(raw_root, include_dropped=True)}


def published_snapshot_ids(home: Path) -> set[str]:
    """The snapshots of the current publication (the last `published` ledger entry)."""
    last = ledger.last_published(home / "ledger" / "publications.jsonl")
    return {s["snapshot_id"] for s in last.get("snapshots", [])} if last else set()


def apply_raw_gate(result, raw_root: Path, warehouse_db: Path, reg, run_id: str | None = None):
    """After the raw quality gate: quarantine each dataset's current vintage that failed an
    error expectation, take it out of the build warehouse and make its last accepted vintage
    current again; lift the quarantine of a re-offered vintage that passed. Returns
    (quarantined, released)."""
    from pipelines.sources.raw_tables import unload_vintage
    from pipelines.warehouse.connect import connect

    errors: dict[str, list[str]] = {}
    for outcome in result.failures("error"):
        errors.setdefault(outcome.suite.rsplit(".", 1)[1], []).append(outcome.sentence())
    set_aside: list[Quarantined] = []
    released: list[str] = []
    for code, snapshot_id in sorted(result.vintages.items()):
        source = reg.datasets[code]["source"]
        snap = next(
            (s for s in list_snapshots(raw_root, source, code) if s.snapshot_id == snapshot_id),
            None,
        )
        if snap is None:
            continue
        if code not in errors:
            if release(snap, "passed ingest and the raw quality gate", run_id):
                released.append(snapshot_id)
            continue
        entry = quarantine(snap, "raw_gate", "; ".join(errors[code][:5]), run_id)
        if entry is None:
            continue  # the published vintage: the rules changed, not the file
        set_aside.append(entry)
        with connect(warehouse_db) as con:
            unload_vintage(con, source, code, snapshot_id, quarantined_ids(raw_root))
    return set_aside, released


def _entry(folder: Path, state: dict[str, Any]) -> Quarantined:
    return Quarantined(
        snapshot_id=state["snapshot_id"],
        source=state["source"],
        dataset=state["dataset"],
        state=state["state"],
        stage=state["stage"],
        reason=state["reason"],
        quarantined_at=state["quarantined_at"],
        origin=state.get("origin", ""),
        folder=folder,
        attempts=int(state.get("attempts", 1)),
        run_id=state.get("run_id"),
        dropped_at=state.get("dropped_at"),
        dropped_by=state.get("dropped_by"),
        note=state.get("note", ""),
    )


def _write(path: Path, state: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _log(snapshot: Snapshot, event: str, **fields: Any) -> None:
    ledger.append(
        log_path(_raw_root(snapshot)),
        {
            "event": event,
            "snapshot_id": snapshot.snapshot_id,
            "source": snapshot.meta["source"],
            "dataset": snapshot.meta["dataset"],
            **fields,
        },
    )


def _raw_root(snapshot: Snapshot) -> Path:
    return snapshot.folder.parents[2]  # raw/<source>/<dataset>/<snapshot_id>


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a minimal environment
        return f"uid {os.getuid()}"
