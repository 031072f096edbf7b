"""`--source live`: one registry dataset from Eurostat into an immutable snapshot.

check the release -> skip when unchanged since the last download -> download (filtered
server-side) -> check that it parses and holds only the codes asked for -> snapshot with
provenance (URL, HTTP status, ETag/Last-Modified, Eurostat's last update, sha256).

An answer that matches no data is a vintage with zero observations whose note names the
filter ("no data for this filter (geo=...)"); the raw gate then names the geographies the
registry requires and the vintage lacks (docs/architecture.md#answers-with-no-data).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pipelines.registry import Registry, load_registry
from pipelines.sources.base import Acquired, SourceError
from pipelines.sources.eurostat.client.api import Query, dataset_query, describe_query
from pipelines.sources.eurostat.client.download import Download, download
from pipelines.sources.eurostat.client.http import Deadline, FetchError, HttpClient
from pipelines.sources.eurostat.client.release import (
    SOURCE,
    ReleaseInfo,
    probe_release,
    save_release_state,
)
from pipelines.sources.eurostat.client.settings import ApiSettings
from pipelines.sources.eurostat.parsing import ParsedDataset, ParseError, parse_bytes
from pipelines.sources.files import keep_last_accepted
from pipelines.sources.quarantine import is_quarantined
from pipelines.sources.store import Snapshot, list_snapshots, store_snapshot


def live_fetcher(
    registry: Registry | None = None, log: Callable[[str], None] | None = None
) -> Callable[[str, Path], Acquired]:
    """The live fetch of the Eurostat source (pipelines.sources.eurostat.source)."""
    settings = ApiSettings.load()
    client = HttpClient(settings, log)

    def fetch(dataset: str, raw_root: Path) -> Acquired:
        reg = registry or load_registry()
        try:
            return fetch_live(dataset, dataset_query(reg, dataset), raw_root, client, settings)
        except FetchError as exc:
            raise SourceError(f"{dataset}: live download failed: {exc}") from exc

    return fetch


def fetch_live(
    dataset: str, query: Query, raw_root: Path, client: HttpClient, settings: ApiSettings
) -> Acquired:
    deadline = Deadline(settings.total_budget_s)
    release = probe_release(dataset, query, raw_root, client, settings, deadline)
    if not release.changed:
        kept = _snapshot(raw_root, dataset, release.snapshot_id)
        why = f"unchanged at Eurostat (last update {release.updated}); skipped the download"
        if kept is not None and is_quarantined(kept):  # that release was refused
            return keep_last_accepted(raw_root, SOURCE, dataset, why)
        if kept is not None:
            empty = f"no data for this filter ({release.filter}); " if release.no_data else ""
            return Acquired(kept, False, f"{empty}{why}, kept snapshot {kept.snapshot_id}")
    got = download(dataset, query, release.dimensions, client, settings, deadline)
    parsed = _validate(dataset, got, query)
    last_update = parsed.last_update.isoformat() if parsed.last_update else None
    snap, created = store_snapshot(
        raw_root,
        source=SOURCE,
        dataset=dataset,
        data=got.data,
        filename=f"{dataset}.sdmx.csv",
        mode="live",
        origin=got.first["url"],
        retrieved_at=datetime.now(UTC),
        extra=_provenance(release, got, query, last_update),
    )
    save_release_state(raw_root, release, query, snap.snapshot_id)
    if created:
        note = f"new vintage (Eurostat last update {release.updated})"
    else:
        note = f"downloaded; content identical to snapshot {snap.snapshot_id}, no new vintage"
    if parsed.rows == 0:
        note = f"no data for this filter ({describe_query(query)}): 0 observations; {note}"
    elif got.no_data:
        note += f"; no data for {' | '.join(got.no_data)}"
    return Acquired(snap, created, note)


def _validate(dataset: str, got: Download, query: Query) -> ParsedDataset:
    """The download must parse and hold only codes we asked for (an answer with no data
    passes: zero observations)."""
    try:
        parsed = parse_bytes(got.data, got.first["url"], dataset)
    except ParseError as exc:
        raise FetchError(f"Eurostat's answer cannot be read: {exc}") from exc
    for dim, codes in query.items():
        if dim in parsed.frame.columns:
            extra = set(parsed.frame[dim].unique().to_list()) - set(codes)
            if extra:
                raise FetchError(
                    f"{got.first['url']} returned {dim} codes that were not asked for: "
                    f"{', '.join(sorted(map(str, extra))[:5])}"
                )
    return parsed


def _provenance(release: ReleaseInfo, got: Download, query: Query, last_update) -> dict:
    first = got.first
    meta = {
        "url": first["url"],
        "http_status": first["http_status"],
        "release_updated": release.updated,
        "release_check_url": release.url,
        "producer_last_update": last_update or release.updated,
        "query": query,
        "parts": got.parts,
    }
    if got.no_data:
        meta["no_data"] = got.no_data  # the filters Eurostat answered with no data
    for key in ("etag", "last_modified"):
        if key in first:
            meta[key] = first[key]
    return meta


def _snapshot(raw_root: Path, dataset: str, snapshot_id: str | None) -> Snapshot | None:
    return next(
        (s for s in list_snapshots(raw_root, SOURCE, dataset) if s.snapshot_id == snapshot_id),
        None,
    )
