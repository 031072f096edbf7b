"""Immutable raw snapshots with provenance, one folder per vintage:

    warehouse/raw/<source>/<dataset>/<snapshot_id>/<file>          the bytes as received
    warehouse/raw/<source>/<dataset>/<snapshot_id>/snapshot.json   provenance and checksum

A snapshot folder appears whole (written aside, then renamed) or not at all. Content identical
to the latest vintage of the same mode creates no new vintage.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

META_FILE = "snapshot.json"


class SnapshotError(RuntimeError):
    """A snapshot that cannot be written or no longer matches its checksum."""


@dataclass(frozen=True)
class Snapshot:
    folder: Path
    meta: dict[str, Any]

    @property
    def snapshot_id(self) -> str:
        return self.meta["snapshot_id"]

    @property
    def file(self) -> Path:
        return self.folder / self.meta["file"]

    @property
    def mode(self) -> str:
        return self.meta["mode"]

    def read_verified(self) -> bytes:
        """The raw bytes, after checking size and sha256 against the metadata."""
        data = self.file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.meta["sha256"] or len(data) != self.meta["bytes"]:
            raise SnapshotError(
                f"snapshot {self.snapshot_id} ({self.file}) is corrupted: sha256 {digest[:12]}… "
                f"does not match the recorded {self.meta['sha256'][:12]}…"
            )
        return data


def dataset_folder(raw_root: Path, source: str, dataset: str) -> Path:
    return raw_root / source / dataset


def list_snapshots(
    raw_root: Path, source: str, dataset: str, mode: str | None = None
) -> list[Snapshot]:
    """Vintages oldest first (by retrieval time), optionally of one mode only."""
    folder = dataset_folder(raw_root, source, dataset)
    out = []
    if folder.is_dir():
        for child in folder.iterdir():
            meta_path = child / META_FILE
            if child.name.startswith(".") or not meta_path.is_file():
                continue
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if mode is None or meta.get("mode") == mode:
                out.append(Snapshot(child, meta))
    return sorted(out, key=lambda s: (s.meta["retrieved_at"], s.snapshot_id))


def latest_snapshot(
    raw_root: Path,
    source: str,
    dataset: str,
    mode: str | None = None,
    as_of: datetime | None = None,
) -> Snapshot | None:
    snaps = list_snapshots(raw_root, source, dataset, mode)
    if as_of is not None:
        stamp = as_of.astimezone(UTC).isoformat()
        snaps = [s for s in snaps if s.meta["retrieved_at"] <= stamp]
    return snaps[-1] if snaps else None


def store_snapshot(
    raw_root: Path,
    *,
    source: str,
    dataset: str,
    data: bytes,
    filename: str,
    mode: str,
    origin: str,
    retrieved_at: datetime | None = None,
    extra: dict[str, Any] | None = None,
) -> tuple[Snapshot, bool]:
    """Store `data` as a new vintage; returns (snapshot, created). Content identical to a
    stored vintage of this mode returns that vintage with created=False (a file that goes
    back to an earlier content is that earlier vintage again, not a new one)."""
    digest = hashlib.sha256(data).hexdigest()
    for known in reversed(list_snapshots(raw_root, source, dataset, mode)):
        if known.meta["sha256"] == digest:
            return known, False
    retrieved_at = (retrieved_at or datetime.now(UTC)).astimezone(UTC)
    snapshot_id = f"{retrieved_at:%Y%m%dT%H%M%S%fZ}-{digest[:10]}"
    meta = {
        "snapshot_id": snapshot_id,
        "source": source,
        "dataset": dataset,
        "mode": mode,
        "is_sample": mode == "sample",
        "origin": origin,
        "file": Path(filename).name,
        "retrieved_at": retrieved_at.isoformat(),
        "sha256": digest,
        "bytes": len(data),
        **(extra or {}),
    }
    folder = dataset_folder(raw_root, source, dataset)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder))
    try:
        _write_synced(tmp / meta["file"], data)
        _write_synced(tmp / META_FILE, json.dumps(meta, indent=2, sort_keys=True).encode())
        for child in tmp.iterdir():
            child.chmod(0o444)
        os.replace(tmp, folder / snapshot_id)
        _fsync_dir(folder)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise SnapshotError(f"could not store snapshot of {source}/{dataset}: {exc}") from exc
    return Snapshot(folder / snapshot_id, meta), True


def clean_incoming(raw_root: Path) -> int:
    """Remove half-written snapshot folders left by a crash; returns how many."""
    removed = 0
    if raw_root.is_dir():
        for tmp in raw_root.glob("*/*/.incoming-*"):
            shutil.rmtree(tmp, ignore_errors=True)
            removed += 1
    return removed


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
