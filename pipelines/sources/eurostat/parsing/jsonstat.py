"""JSON-stat 2.0 from Eurostat's statistics API: sparse `value` and `status` keyed by the
row-major flat index over the dimensions in `id` order, sizes in `size`. A status is the flags,
then `|` and the confidentiality status when there is one (`p`, `|C`, `p|C`; their labels are
in `extension.status`). An answer that matches no data has a dimension of size 0 and an empty
`value`: zero observations."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

from pipelines.sources.eurostat.parsing.observations import (
    NO_DATA,
    ParsedDataset,
    ParseError,
    check_flags,
    empty_frame,
    finish,
    normalise_period,
)
from pipelines.sources.eurostat.parsing.rawbytes import check_utf8, locate


def looks_like(data: bytes) -> bool:
    return data.lstrip()[:1] == b"{"


def parse(data: bytes, source: str) -> ParsedDataset:
    """Parse JSON-stat; a structural error names the JSON path and, where found, its line."""
    try:
        return _parse(data, source)
    except ParseError as exc:
        if exc.line is not None or not exc.column:
            raise
        keys = re.split(r"[.\[\]/]+", exc.column.strip("[]"))
        line, column = locate(data, *[k for k in keys if k])
        if line is None:
            raise
        raise ParseError(source, exc.reason, line, f"{column} ({exc.column})") from exc


def _parse(data: bytes, source: str) -> ParsedDataset:
    check_utf8(data, source)
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ParseError(source, f"invalid JSON: {exc.msg}", exc.lineno, str(exc.colno)) from exc
    if not isinstance(doc, dict) or doc.get("class") != "dataset":
        raise ParseError(source, 'not a JSON-stat 2.0 dataset (expected "class": "dataset")', 1)
    ids, sizes = _structure(doc, source)
    codes = [_categories(doc, dim, size, source) for dim, size in zip(ids, sizes, strict=True)]
    total = int(np.prod(sizes)) if sizes else 0
    values = _sparse(doc.get("value", {}), total, "value", source)
    statuses = _sparse(doc.get("status", {}), total, "status", source)
    time_dim = next((d for d in ids if d.lower() in ("time", "time_period")), None)
    if time_dim is None:
        raise ParseError(source, "no time dimension in 'id'", None, "id")
    dims = [d for d in ids if d != time_dim]
    if total == 0:  # a dimension of size 0: the filter matches no data
        empty = ", ".join(d for d, n in zip(ids, sizes, strict=True) if n == 0)
        return ParsedDataset(
            empty_frame(dims),
            dims,
            "json-stat",
            dataset=_dataset_code(doc),
            last_update=_updated(doc),
            warnings=[f"{NO_DATA} (dimension {empty} of size 0)"],
        )
    keys = np.array(sorted(set(values) | set(statuses)), dtype=np.int64)
    columns: dict[str, Any] = {}
    rest = keys.copy()
    for dim, size, cats in reversed(list(zip(ids, sizes, codes, strict=True))):
        columns[dim] = np.asarray(cats, dtype=object)[rest % size]
        rest //= size
    value_list = [values.get(int(k)) for k in keys]
    for k, v in zip(keys, value_list, strict=True):
        if v is not None and not isinstance(v, int | float):
            raise ParseError(
                source, f"value {v!r} at flat index {k} is not a number", None, f"value[{k}]"
            )
    frame = pl.DataFrame(
        {
            **{d: pl.Series(d, columns[d], dtype=pl.String) for d in ids},
            "value": pl.Series("value", value_list, dtype=pl.Float64),
            "__status": pl.Series(
                "__status", [statuses.get(int(k)) or "" for k in keys], dtype=pl.String
            ),
        }
    )
    status = pl.col("__status").str.replace_all(r"[\s:]", "").str.split_exact("|", 1)
    frame = frame.with_columns(
        status.struct.field("field_0").alias("flags"),
        status.struct.field("field_1").fill_null("").alias("conf_status"),
    )
    frame = frame.rename({time_dim: "time"})
    frame = _normalise_time(frame, source)
    check_flags(frame, source, lambda i: (None, f"status[{int(keys[i])}]"))
    return ParsedDataset(
        frame=finish(frame, dims),
        dimensions=dims,
        format="json-stat",
        dataset=_dataset_code(doc),
        last_update=_updated(doc),
    )


def _structure(doc: dict, source: str) -> tuple[list[str], list[int]]:
    ids, sizes = doc.get("id"), doc.get("size")
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise ParseError(source, "'id' and 'size' must be lists of equal length", None, "id/size")
    if not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes):
        raise ParseError(
            source, f"'size' holds a negative or non-integer entry: {sizes}", None, "size"
        )
    if not isinstance(doc.get("dimension"), dict):
        raise ParseError(source, "'dimension' is missing", None, "dimension")
    return [str(i) for i in ids], sizes


def _categories(doc: dict, dim: str, size: int, source: str) -> list[str]:
    try:
        category = doc["dimension"][dim]["category"]
    except (KeyError, TypeError) as exc:
        raise ParseError(
            source, f"dimension {dim!r} has no category", None, f"dimension.{dim}"
        ) from exc
    index = category.get("index")
    if index is None:
        index = list(category.get("label", {}).keys())
    if isinstance(index, dict):
        ordered = sorted(index.items(), key=lambda item: item[1])
        codes = [code for code, _ in ordered]
    else:
        codes = list(index)
    if len(codes) != size:
        raise ParseError(
            source,
            f"dimension {dim!r} lists {len(codes)} categories but size says {size}",
            None,
            f"dimension.{dim}.category.index",
        )
    return codes


def _sparse(raw: Any, total: int, name: str, source: str) -> dict[int, Any]:
    if isinstance(raw, list):
        items = {i: v for i, v in enumerate(raw) if v is not None}
    elif isinstance(raw, dict):
        try:
            items = {int(k): v for k, v in raw.items()}
        except ValueError as exc:
            raise ParseError(
                source, f"'{name}' has a key that is not a flat index", None, name
            ) from exc
    elif isinstance(raw, str) and name == "status":
        items = {i: raw for i in range(total)}
    else:
        raise ParseError(source, f"'{name}' must be an object or a list", None, name)
    out_of_range = [k for k in items if k < 0 or k >= total]
    if out_of_range and total == 0:
        raise ParseError(source, f"'{name}' holds entries but a dimension has size 0", None, name)
    if out_of_range:
        raise ParseError(
            source,
            f"'{name}' index {out_of_range[0]} is outside 0..{total - 1}",
            None,
            f"{name}[{out_of_range[0]}]",
        )
    return items


def _normalise_time(frame: pl.DataFrame, source: str) -> pl.DataFrame:
    mapping = {p: normalise_period(p) for p in frame["time"].unique().to_list()}
    bad = [p for p, n in mapping.items() if n is None]
    if bad:
        raise ParseError(source, f"{bad[0]!r} is not a period code", None, "dimension.time")
    return frame.with_columns(pl.col("time").replace_strict(mapping, return_dtype=pl.String))


def _dataset_code(doc: dict) -> str | None:
    ext = doc.get("extension") or {}
    code = ext.get("id") or ext.get("datasetId")
    return str(code).lower() if code else None


def _updated(doc: dict) -> datetime | None:
    stamp = doc.get("updated")
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None
