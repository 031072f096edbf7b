"""Release detection: has a dataset changed at Eurostat since our last live snapshot?

A cheap statistics-API query (the dataset's filters, `lastTimePeriod=1`) returns JSON-stat
whose `updated` is the dataset's last update at Eurostat, and whose `id` gives the dimension
order the SDMX key needs. The last answer we acted on is kept beside the snapshots in
`raw/eurostat/<dataset>/release.json` (mutable; the snapshots themselves never change).
An answer that matches no data (a dimension of size 0, an empty `value`) is "no data for this
filter" (`ReleaseInfo.no_data`), not an error: the download then records what Eurostat has.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipelines.sources.eurostat.client.api import (
    Query,
    describe_query,
    jsonstat_has_no_data,
    statistics_url,
)
from pipelines.sources.eurostat.client.http import Deadline, FetchError, HttpClient, redact
from pipelines.sources.eurostat.client.settings import ApiSettings
from pipelines.sources.store import dataset_folder

SOURCE = "eurostat"
STATE_FILE = "release.json"


@dataclass(frozen=True)
class ReleaseInfo:
    dataset: str
    updated: str | None  # Eurostat's last update of the dataset (JSON-stat `updated`)
    dimensions: list[str]  # the dataset's dimensions in order, time excluded
    previous_updated: str | None  # `updated` when we last downloaded it
    snapshot_id: str | None  # the snapshot that download gave
    changed: bool  # True unless `updated` and the query equal those of the last download
    url: str
    checked_at: str
    no_data: bool = False  # the filter matches no data at Eurostat (HTTP 200, size 0)
    filter: str = ""  # the filter in words (`geo=BE,BE2; unit=PC`), for messages


def release_state(raw_root: Path, dataset: str) -> dict | None:
    path = dataset_folder(raw_root, SOURCE, dataset) / STATE_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def save_release_state(raw_root: Path, info: ReleaseInfo, query: Query, snapshot_id: str) -> None:
    """Record the release a download came from (written aside, then renamed)."""
    folder = dataset_folder(raw_root, SOURCE, info.dataset)
    folder.mkdir(parents=True, exist_ok=True)
    state = {"updated": info.updated, "query": query, "snapshot_id": snapshot_id}
    state |= {"checked_at": info.checked_at, "no_data": info.no_data}
    tmp = folder / f".{STATE_FILE}.tmp"
    tmp.write_text(json.dumps(state, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, folder / STATE_FILE)


def probe_release(
    dataset: str,
    query: Query,
    raw_root: Path,
    client: HttpClient,
    settings: ApiSettings,
    deadline: Deadline,
) -> ReleaseInfo:
    """One small JSON-stat request; compares its `updated` with the recorded state."""
    url = statistics_url(settings.base_url, dataset, query, settings.lang, lastTimePeriod=1)
    response = client.get(url, deadline)
    try:
        doc = json.loads(response.body)
        updated = doc.get("updated")
        dims = [str(d) for d in doc["id"] if str(d).lower() not in ("time", "time_period")]
        no_data = jsonstat_has_no_data(doc)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FetchError(
            f"{dataset}: {redact(url)} did not answer with JSON-stat ({exc}): "
            f"{response.body[:200]!r}"
        ) from exc
    if no_data:
        client.log(f"{dataset}: release check: no data for this filter ({describe_query(query)})")
    state = release_state(raw_root, dataset) or {}
    known = dataset_folder(raw_root, SOURCE, dataset) / str(state.get("snapshot_id"))
    unchanged = (
        bool(updated)
        and state.get("updated") == updated
        and state.get("query") == query
        and bool(state.get("no_data")) == no_data
        and known.is_dir()
    )
    return ReleaseInfo(
        dataset=dataset,
        updated=updated,
        dimensions=dims,
        previous_updated=state.get("updated"),
        snapshot_id=state.get("snapshot_id"),
        changed=not unchanged,
        url=redact(url),
        checked_at=datetime.now(UTC).isoformat(),
        no_data=no_data,
        filter=describe_query(query),
    )


def check_release(dataset: str, raw_root: Path | None = None, log=None) -> ReleaseInfo:
    """Has `dataset` changed at Eurostat since its last live snapshot? (for sensors)."""
    from pipelines.registry import load_registry
    from pipelines.settings import paths
    from pipelines.sources.eurostat.client.api import dataset_query

    settings = ApiSettings.load()
    query = dataset_query(load_registry(), dataset)
    return probe_release(
        dataset,
        query,
        raw_root or paths().raw,
        HttpClient(settings, log),
        settings,
        Deadline(settings.total_budget_s),
    )
