"""Eurostat's dissemination API: URLs, the server-side filter of a registry dataset, and the
answers of the asynchronous delivery.

- statistics API (JSON-stat 2.0), filters by dimension name in any order:
  `{base}/statistics/1.0/data/{code}?format=JSON&lang=EN&geo=BE&geo=BE2&lastTimePeriod=1`
- SDMX 2.1 data, filters as a key in the dataset's dimension order (`A.PC.T..BE+BE2`):
  `{base}/sdmx/2.1/data/{code}/{key}?format=SDMX-CSV&compressed=true`
- async API: `{base}/1.0/async/status/{key}` (SUBMITTED, PROCESSING, AVAILABLE, EXPIRED, ...)
  and `{base}/1.0/async/data/{key}`.

A filter that matches no data is not an error: HTTP 200 with a JSON-stat dimension of size 0
and an empty `value`, or an SDMX-CSV header alone.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from pipelines.registry import Registry

Query = dict[str, list[str]]  # dimension -> codes to keep (a missing dimension: keep all)

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
ASYNC_WAITING = {"SUBMITTED", "PROCESSING"}


def dataset_query(registry: Registry, dataset: str) -> Query:
    """What the registry needs of `dataset`: its geographies, and per dimension the codes its
    series select; a dimension some series leaves open is not filtered."""
    series = [
        row["filters"]
        for ind in registry.indicators.values()
        if (ind.get("source") or {}).get("dataset") == dataset
        for row in registry.series(ind)
    ]
    query: Query = {}
    geos = registry.dataset_geos(dataset)
    if geos:
        query["geo"] = sorted(geos)
    for dim in registry.datasets[dataset]["dimensions"]:
        if dim == "geo" or not series or any(dim not in f for f in series):
            continue
        query[dim] = sorted({str(f[dim]) for f in series})
    return query


def describe_query(query: Query) -> str:
    """A filter in words for messages: `geo=BE,BE2; unit=PC` (`no filter` when empty)."""
    return "; ".join(f"{dim}={','.join(codes)}" for dim, codes in sorted(query.items())) or (
        "no filter"
    )


def csv_has_no_rows(body: bytes) -> bool:
    """An SDMX-CSV answer that is its header alone: the filter matches no data."""
    return len(body.strip().splitlines()) == 1 and body.lstrip()[:1] not in (b"<", b"{")


def jsonstat_has_no_data(doc: dict) -> bool:
    """A JSON-stat answer that matches no data: a dimension of size 0, or no value and no
    status at all."""
    sizes = doc.get("size") or []
    return 0 in sizes or (not doc.get("value") and not doc.get("status"))


def statistics_url(base: str, code: str, query: Query, lang: str = "EN", **extra) -> str:
    params = [("format", "JSON"), ("lang", lang)]
    params += [(dim, c) for dim, codes in sorted(query.items()) for c in codes]
    params += [(k, str(v)) for k, v in extra.items()]
    return f"{base}/statistics/1.0/data/{quote(code)}?{urlencode(params)}"


def sdmx_key(dimensions: list[str], query: Query) -> str:
    """The SDMX 2.1 key: one position per dimension (time excluded), `+` between codes."""
    return ".".join("+".join(query.get(d, [])) for d in dimensions)


def sdmx_data_url(base: str, code: str, key: str) -> str:
    return f"{base}/sdmx/2.1/data/{quote(code)}/{quote(key, safe='.+')}?format=SDMX-CSV&compressed=true"


def async_status_url(base: str, key: str) -> str:
    return f"{base}/1.0/async/status/{key}"


def async_data_url(base: str, key: str) -> str:
    return f"{base}/1.0/async/data/{key}"


def queued_key(body: bytes) -> str | None:
    """The async key when a data request answered "queued" instead of data (an XML envelope
    holding a request id and the status SUBMITTED or PROCESSING), else None."""
    head = body[:4096].lstrip()
    if not head.startswith(b"<"):
        return None
    text = head.decode("utf-8", errors="replace")
    key = re.search(rf">\s*({_UUID})\s*<", text)
    return key.group(1) if key and async_status(body) in ASYNC_WAITING else None


def async_status(body: bytes) -> str | None:
    """The status word of an async-status answer (`<status>AVAILABLE</status>`)."""
    text = body[:4096].decode("utf-8", errors="replace")
    found = re.search(r"<(?:\w+:)?status>\s*([A-Z_]+)\s*</", text)
    return found.group(1) if found else None


def fault_message(body: bytes) -> str:
    """The `faultstring` of an error envelope, or the start of the body."""
    text = body[:2000].decode("utf-8", errors="replace")
    found = re.search(r"<faultstring>(.*?)</faultstring>", text, re.S)
    return (found.group(1) if found else text[:200]).strip()
