"""Spreadsheet deliveries as a source: each template of registry/deliveries/ is a dataset.

locate  the bundled SAMPLE (`sample`), the `dir:PATH` folder then the intake folder
        (`dir:`, `live`), else the last accepted vintage (the bundled SAMPLE when there is
        none), or the vintage of a date (`asof:`)
fetch   a found file checked as it lies on disk (safety, cells), then stored as a vintage:
        a refused file leaves no snapshot and no rows
check   the stored vintage read again and validated against its template
load    into raw."<source>__<code>" (+ __vintages), under the raw.delivery_* views
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.sources.base import Acquired, Dataset, Loaded, Located, Log, SourceSpec, Views
from pipelines.sources.files import is_sample_name, kept_as_of
from pipelines.sources.intake.locate import Found, find, folders
from pipelines.sources.intake.problems import DeliveryError, Problem
from pipelines.sources.intake.safety import (
    Limits,
    csv_problems,
    name_problems,
    size_problems,
    workbook_problems,
)

if TYPE_CHECKING:  # Polars and DuckDB load with the steps that use them, not the definitions
    import duckdb
    import polars as pl

    from pipelines.registry import Registry
    from pipelines.registry.deliveries import Delivery
    from pipelines.settings import Paths


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
    from pipelines.sources.intake.load import rows_frame
    from pipelines.sources.intake.read import read_table
    from pipelines.sources.intake.validate import validate

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
    rows, problems = validate(delivery, name, table, is_sample_name(name))
    if problems:
        raise DeliveryError(delivery.code, problems)
    return rows_frame(delivery, rows)


def _refresh_views(con: duckdb.DuckDBPyConnection, datasets: list[Dataset]) -> dict[str, int]:
    from pipelines.sources.intake.load import refresh_delivery_views

    return refresh_delivery_views(con, [d.spec for d in datasets])


DELIVERY_VIEWS = Views(
    names=("delivery_observations", "delivery_snapshots"),
    descriptions=(
        "every delivery's measures as observations (every vintage).",
        "provenance of every delivery vintage; is_current marks the one in use.",
    ),
    refresh=_refresh_views,
    asset="delivery_views",
)


class IntakeSource:
    """Locate, fetch, check and load for spreadsheet deliveries (see the module)."""

    name = "intake"
    views = DELIVERY_VIEWS
    unit = "rows"

    def datasets(self, reg: Registry) -> list[Dataset]:
        return [
            Dataset(
                kind=self.name,
                source=d.source,
                code=d.code,
                title=d.doc["title"],
                entry=reg.datasets.get(d.code, {}),
                description=f"{d.doc['title']} (delivery `{d.code}`, template "
                f"registry/deliveries/{d.path.name}): every vintage in "
                f'raw."{d.source}__{d.code}".',
                tags={"layer": "raw", "source": d.source, "intake": "spreadsheet"},
                metadata={"delivery": d.code, "producer": d.doc["producer"]},
                spec=d,
            )
            for d in reg.deliveries.values()
        ]

    def locate(self, spec: SourceSpec, dataset: Dataset, where: Paths) -> Located:
        from pipelines.sources.quarantine import last_accepted, skipped_note

        delivery: Delivery = dataset.spec
        if spec.kind == "asof":
            return kept_as_of(spec, where.raw, delivery.source, delivery.code)
        for folder, kind in folders(spec):
            found = find(delivery.code, folder, kind)
            if found:
                return Located("sample" if found.is_sample else found.origin_kind, path=found.path)
        kept = last_accepted(where.raw, delivery.source, delivery.code)
        skipped = skipped_note(where.raw, delivery.source, delivery.code, kept)
        searched = ", ".join(str(f) for f, _ in folders(spec))
        absent = f"no file for {delivery.code} in the delivery folders"
        if kept is not None:
            note = f"not in {searched}; kept snapshot {kept.snapshot_id}"
            note += f" ({skipped})" if skipped else ""
            return Located(kept.mode, kept=kept, note=note, missing=absent)
        if spec.kind == "sample":
            raise DeliveryError(
                delivery.code, [Problem(searched, f"no SAMPLE_{delivery.code} file")]
            )
        fallback = find(delivery.code, *folders(SourceSpec("sample"))[0])
        if fallback is None:
            raise DeliveryError(delivery.code, [Problem(searched, f"no file for {delivery.code}")])
        used = f"no delivery in {searched}; bundled SAMPLE used"
        note = used + (f" ({skipped})" if skipped else "")
        return Located("sample", path=fallback.path, note=note, missing=absent, warnings=(used,))

    def fetch(
        self, located: Located, dataset: Dataset, where: Paths, log: Log | None = None
    ) -> Acquired:
        if located.kept is not None:
            return Acquired(located.kept, False, located.note)
        found = Found(located.path, located.mode)
        snap, created = _snapshot(dataset.spec, found, where)
        note = located.note or ("new vintage" if created else "unchanged; no new vintage")
        return Acquired(snap, created, note, warnings=located.warnings)

    def check(self, acquired: Acquired, dataset: Dataset) -> pl.DataFrame:
        snap = acquired.snapshot
        return check_bytes(dataset.spec, snap.meta["file"], snap.read_verified())

    def load(
        self,
        con: duckdb.DuckDBPyConnection,
        acquired: Acquired,
        dataset: Dataset,
        checked: pl.DataFrame,
    ) -> Loaded:
        from pipelines.sources.intake.load import load_delivery

        new = load_delivery(con, dataset.spec, acquired.snapshot, checked)
        return Loaded(new, checked.height)


def _snapshot(delivery: Delivery, found: Found, where: Paths):
    """Validate the file as found, then store it as a vintage (nothing is stored if refused)."""
    from pipelines.sources.store import store_snapshot

    data, _ = check_file(delivery, found.path)  # the bytes stored are the bytes checked
    template = hashlib.sha256(delivery.path.read_bytes()).hexdigest()
    return store_snapshot(
        where.raw,
        source=delivery.source,
        dataset=delivery.code,
        data=data,
        filename=found.path.name,
        mode=found.origin_kind,
        origin=str(found.path),
        retrieved_at=datetime.now(UTC),
        extra={
            "file_modified_at": datetime.fromtimestamp(found.path.stat().st_mtime, UTC).isoformat(),
            "template": f"registry/deliveries/{delivery.path.name}",
            "template_sha256": template,
            "sheet": None if found.path.name.lower().endswith(".csv") else delivery.sheet,
        },
    )


SOURCE = IntakeSource()
