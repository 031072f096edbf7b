"""Files a run brings in, the same for every source: a file is named by its dataset code
(`<code>.<ext>`, gzip'd or not; `SAMPLE_<code>.<ext>` for the bundled sample, which stays
labelled sample wherever it is read from), found in the bundled sample folder
(`pipelines/sample/<source>/`) or a `dir:` folder, and stored as a snapshot before anything
reads it. A source that does not bring a dataset this time keeps its last accepted vintage;
`--as-of` keeps the one of that date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from pipelines.settings import SAMPLE_DIR
from pipelines.sources.base import Acquired, Located, SourceError, SourceSpec
from pipelines.sources.store import list_snapshots, store_snapshot

SAMPLE_PREFIX = "SAMPLE_"


def is_sample_name(name: str) -> bool:
    """A bundled sample file: its rows are SAMPLE data, whatever folder it lies in."""
    return name.upper().startswith(SAMPLE_PREFIX)


def strip_sample_prefix(stem: str) -> str:
    return stem[len(SAMPLE_PREFIX) :] if is_sample_name(stem) else stem


def code_from_name(name: str) -> str:
    """`SAMPLE_trng_lfse_04.tsv.gz` -> `trng_lfse_04`; `une_rt_a.sdmx.csv` -> `une_rt_a`."""
    return strip_sample_prefix(name.split(".", 1)[0]).lower()


def file_mode(path: Path, mode: str) -> str:
    """The snapshot mode of a file found in a folder of `mode`: sample for a SAMPLE_ file."""
    return "sample" if is_sample_name(path.name) else mode


def sample_folder(source: str) -> Path:
    return SAMPLE_DIR / source


def find_in_folder(
    folder: Path, code: str, code_of: Callable[[str], str] = code_from_name
) -> Path | None:
    """The one file in `folder` named after dataset `code`; several are an error."""
    matches = [
        p
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".") and code_of(p.name) == code
    ]
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise SourceError(f"{folder}: several files for dataset {code}: {names}; keep one")
    return matches[0] if matches else None


def keep_last_accepted(raw_root: Path, source: str, dataset: str, why: str) -> Acquired:
    """The source does not bring `dataset` this time: its last accepted vintage, never a
    quarantined one (the note says when a newer one was skipped)."""
    from pipelines.sources.quarantine import last_accepted, skipped_note

    kept = last_accepted(raw_root, source, dataset)
    skipped = skipped_note(raw_root, source, dataset, kept)
    if kept is None:
        raise SourceError(
            f"{dataset}: {why}, and no accepted snapshot is stored"
            + (f" ({skipped})" if skipped else "")
        )
    note = f"{why}; kept snapshot {kept.snapshot_id}"
    return Acquired(kept, False, note + (f" ({skipped})" if skipped else ""))


def kept_as_of(spec: SourceSpec, raw_root: Path, source: str, dataset: str) -> Located:
    """`--as-of DATE`: the last accepted snapshot retrieved on or before that day."""
    from pipelines.sources.quarantine import last_accepted

    end_of_day = datetime.combine(spec.as_of + timedelta(days=1), time.min, UTC)
    kept = last_accepted(raw_root, source, dataset, as_of=end_of_day - timedelta(microseconds=1))
    if kept is None:
        raise SourceError(
            f"no stored snapshot of {dataset} was retrieved on or before {spec.as_of} "
            f"(under {raw_root / source / dataset}; quarantined snapshots are not used)"
        )
    note = f"as of {spec.as_of}: stored snapshot {kept.snapshot_id}"
    return Located(kept.mode, kept=kept, note=note, missing="a rebuild as of a date")


def locate_file(
    spec: SourceSpec,
    source: str,
    code: str,
    raw_root: Path,
    code_of: Callable[[str], str] = code_from_name,
) -> Located:
    """A dataset of a file-based run (`sample`, `dir:`, `asof:`): its file, else (`dir:`) its
    last accepted vintage; `live` is the source's own business (a Located without a path)."""
    if spec.kind == "live":
        return Located("live")
    if spec.kind == "asof":
        return kept_as_of(spec, raw_root, source, code)
    folder, mode = (
        (sample_folder(source), "sample") if spec.kind == "sample" else (spec.path, "dir")
    )
    path = find_in_folder(folder, code, code_of) if folder and folder.is_dir() else None
    if path is not None:
        return Located(file_mode(path, mode), path=path)
    missing = f"no file for dataset {code} in {folder} (expected e.g. {code}.tsv)"
    if spec.kind == "dir" and list_snapshots(raw_root, source, code):
        kept = keep_last_accepted(raw_root, source, code, f"not in {folder}")
        absent = f"no file for {code} in {folder}"
        return Located(kept.snapshot.mode, kept=kept.snapshot, note=kept.note, missing=absent)
    raise SourceError(missing)


def store_file(
    raw_root: Path, source: str, code: str, located: Located, extra: dict[str, Any] | None = None
) -> Acquired:
    """The located file's bytes as a snapshot (a new vintage, or the identical one stored)."""
    path = located.path
    snap, created = store_snapshot(
        raw_root,
        source=source,
        dataset=code,
        data=path.read_bytes(),
        filename=path.name,
        mode=located.mode,
        origin=str(path),
        retrieved_at=datetime.now(UTC),
        extra={
            "file_modified_at": datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(),
            **(extra or {}),
        },
    )
    return Acquired(snap, created, "new vintage" if created else "unchanged; no new vintage")


def fetch_located(raw_root: Path, source: str, code: str, located: Located) -> Acquired:
    """A kept snapshot as it is, a file into the store."""
    if located.kept is not None:
        return Acquired(located.kept, False, located.note)
    if located.path is None:
        raise SourceError(f"{code}: nothing located to fetch ({located.mode})")
    return store_file(raw_root, source, code, located)


def acquire(spec: SourceSpec, source: str, code: str, raw_root: Path) -> Acquired:
    """One dataset of a file-based run (`sample`, `dir:`, `asof:`) as a snapshot: locate,
    then fetch (a new vintage, the unchanged one, or the kept one)."""
    if spec.kind == "live":
        raise SourceError(f"{code}: a live fetch is the source's own (Source.fetch)")
    return fetch_located(raw_root, source, code, locate_file(spec, source, code, raw_root))
