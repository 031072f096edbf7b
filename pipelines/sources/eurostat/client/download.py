"""Download one dataset's filtered observations from the SDMX 2.1 data endpoint as
SDMX-CSV: follow the async delivery when the answer is "queued", split the request (largest
filtered dimension, geography first) when Eurostat answers 413 "extraction too big", and
merge the parts under one header. An answer (or a part) that is the header alone is "no data
for this filter": kept, logged and listed in `Download.no_data`, never an error."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

from pipelines.sources.eurostat.client.api import (
    ASYNC_WAITING,
    Query,
    async_data_url,
    async_status,
    async_status_url,
    csv_has_no_rows,
    describe_query,
    fault_message,
    queued_key,
    sdmx_data_url,
    sdmx_key,
)
from pipelines.sources.eurostat.client.http import (
    Deadline,
    FetchError,
    HttpClient,
    HttpStatusError,
    Response,
    redact,
)
from pipelines.sources.eurostat.client.settings import ApiSettings


@dataclass
class Download:
    data: bytes  # SDMX-CSV text, decompressed, parts merged
    parts: list[dict] = field(default_factory=list)  # one per HTTP answer that carried data
    no_data: list[str] = field(default_factory=list)  # the filters answered with no data

    @property
    def first(self) -> dict:
        return self.parts[0]


def download(
    dataset: str,
    query: Query,
    dimensions: list[str],
    client: HttpClient,
    settings: ApiSettings,
    deadline: Deadline,
) -> Download:
    url = sdmx_data_url(settings.base_url, dataset, sdmx_key(dimensions, query))
    try:
        response = client.get(url, deadline)
    except HttpStatusError as exc:
        if exc.status != 413:
            raise
        halves = _split(query)
        if halves is None:
            raise FetchError(
                f"{dataset}: too big for Eurostat even for one code per dimension: "
                f"{fault_message(exc.body)}"
            ) from exc
        client.log(
            f"{dataset}: {fault_message(exc.body)[:120]} -> splitting the request by "
            f"{halves[2]} ({len(query[halves[2]])} codes)"
        )
        parts = [download(dataset, q, dimensions, client, settings, deadline) for q in halves[:2]]
        return Download(
            merge_csv([p.data for p in parts], dataset),
            [x for p in parts for x in p.parts],
            [x for p in parts for x in p.no_data],
        )
    key = queued_key(response.body)
    if key is not None:
        response = _await(dataset, key, client, settings, deadline)
    no_data = []
    if csv_has_no_rows(response.body):
        no_data.append(describe_query(query))
        client.log(f"{dataset}: no data for this filter ({no_data[0]})")
    return Download(response.body, [_describe(response, async_key=key)], no_data)


def _split(query: Query) -> tuple[Query, Query, str] | None:
    """Halve the filtered dimension with the most codes (geography on a tie)."""
    splittable = [d for d, codes in query.items() if len(codes) > 1]
    if not splittable:
        return None
    dim = max(splittable, key=lambda d: (len(query[d]), d == "geo"))
    codes = query[dim]
    middle = len(codes) // 2
    return {**query, dim: codes[:middle]}, {**query, dim: codes[middle:]}, dim


def _await(
    dataset: str, key: str, client: HttpClient, settings: ApiSettings, deadline: Deadline
) -> Response:
    """Poll the async API until the extraction is AVAILABLE, then fetch it."""
    started = time.monotonic()
    client.log(f"{dataset}: Eurostat queued the extraction (key {key}); polling")
    while True:
        status = async_status(client.get(async_status_url(settings.base_url, key), deadline).body)
        if status == "AVAILABLE":
            return client.get(async_data_url(settings.base_url, key), deadline)
        if status not in ASYNC_WAITING:
            raise FetchError(f"{dataset}: asynchronous extraction {key} ended as {status}")
        waited = time.monotonic() - started
        if waited + settings.async_poll_interval_s > min(
            settings.async_max_wait_s, deadline.remaining()
        ):
            raise FetchError(
                f"{dataset}: asynchronous extraction {key} still {status} after {waited:.0f}s "
                f"(limit {min(settings.async_max_wait_s, deadline.seconds):g}s)"
            )
        time.sleep(settings.async_poll_interval_s)


def merge_csv(parts: list[bytes], dataset: str) -> bytes:
    """Rows of several SDMX-CSV answers under the first one's header (headers must agree)."""
    header, rows = None, []
    for part in parts:
        lines = part.splitlines(keepends=True)
        if not lines:
            continue
        if header is None:
            header = lines[0]
        elif lines[0].strip() != header.strip():
            raise FetchError(f"{dataset}: the parts of a split request have different headers")
        rows += [line if line.endswith(b"\n") else line + b"\r\n" for line in lines[1:]]
    return (header or b"") + b"".join(rows)


def _describe(response: Response, async_key: str | None = None) -> dict:
    part = {
        "url": redact(response.url),
        "http_status": response.status,
        "retrieved_at": response.retrieved_at,
        "attempts": response.attempts,
        "received_bytes": response.received_bytes,
        "content_encoding": "gzip" if response.gzip else "identity",
        "sha256": hashlib.sha256(response.body).hexdigest(),
    }
    for header in ("etag", "last-modified", "content-type"):
        if header in response.headers:
            part[header.replace("-", "_")] = response.headers[header]
    if async_key:
        part["async_key"] = async_key
    return part
