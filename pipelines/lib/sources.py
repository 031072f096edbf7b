"""Where raw files come from: the bundled sample, a folder (`dir:PATH`) or the live API.

Whatever the origin, the bytes become a snapshot first; nothing downstream reads the origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from pipelines.lib.snapshots import Snapshot, list_snapshots, store_snapshot
from pipelines.settings import SAMPLE_DIR


class SourceError(RuntimeError):
    """A raw file that could not be obtained; nothing was changed."""


@dataclass(frozen=True)
class SourceSpec:
    kind: str  # "sample", "live", "dir" or "asof" (stored snapshots only, no network)
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
class Acquired:
    snapshot: Snapshot
    created: bool
    note: str


def keep_last_accepted(raw_root: Path, source: str, dataset: str, why: str) -> Acquired:
    """The source does not bring `dataset` this time: its last accepted vintage, never a
    quarantined one (the note says when a newer one was skipped)."""
    from pipelines.lib.quarantine import last_accepted, skipped_note

    kept = last_accepted(raw_root, source, dataset)
    skipped = skipped_note(raw_root, source, dataset, kept)
    if kept is None:
        raise SourceError(
            f"{dataset}: {why}, and no accepted snapshot is stored"
            + (f" ({skipped})" if skipped else "")
        )
    note = f"{why}; kept snapshot {kept.snapshot_id}"
    return Acquired(kept, False, note + (f" ({skipped})" if skipped else ""))


def find_in_folder(folder: Path, dataset: str) -> Path | None:
    """The one file in `folder` named after `dataset` (any supported extension, gz or not)."""
    from pipelines.parsing import dataset_code_from_name  # Polars: only when searching

    matches = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".") and dataset_code_from_name(p.name) == dataset
    ]
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise SourceError(f"{folder}: several files for dataset {dataset}: {names}; keep one")
    return matches[0] if matches else None


def acquire(
    spec: SourceSpec, source: str, dataset: str, raw_root: Path, live_fetch=None
) -> Acquired:
    """Obtain one dataset as a snapshot (new vintage, or the unchanged latest one)."""
    if spec.kind == "live":
        if live_fetch is None:
            raise SourceError(
                "live fetching needs a client (see pipelines.lib.eurostat.live_fetcher)"
            )
        return live_fetch(dataset, raw_root)
    if spec.kind == "asof":
        from pipelines.lib.quarantine import last_accepted

        end_of_day = datetime.combine(spec.as_of + timedelta(days=1), time.min, UTC)
        kept = last_accepted(
            raw_root, source, dataset, as_of=end_of_day - timedelta(microseconds=1)
        )
        if kept is None:
            raise SourceError(
                f"no stored snapshot of {dataset} was retrieved on or before {spec.as_of} "
                f"(under {raw_root / source / dataset}; quarantined snapshots are not used)"
            )
        return Acquired(kept, False, f"as of {spec.as_of}: stored snapshot {kept.snapshot_id}")
    if spec.kind == "sample":
        folder = SAMPLE_DIR / source
        origin_kind = "sample"
    else:
        folder = spec.path
        origin_kind = "dir"
    path = find_in_folder(folder, dataset) if folder and folder.is_dir() else None
    if path is None:
        if spec.kind == "dir" and list_snapshots(raw_root, source, dataset):
            return keep_last_accepted(raw_root, source, dataset, f"not in {folder}")
        raise SourceError(
            f"no file for dataset {dataset} in {folder} (expected e.g. {dataset}.tsv)"
        )
    data = path.read_bytes()
    if path.name.upper().startswith("SAMPLE_"):
        origin_kind = "sample"  # sample files stay labelled sample wherever they are read from
    snap, created = store_snapshot(
        raw_root,
        source=source,
        dataset=dataset,
        data=data,
        filename=path.name,
        mode=origin_kind,
        origin=str(path),
        retrieved_at=datetime.now(UTC),
        extra={"file_modified_at": datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat()},
    )
    note = "new vintage" if created else "unchanged; no new vintage"
    return Acquired(snap, created, note)
