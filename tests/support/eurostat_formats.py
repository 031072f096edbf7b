"""Observations written in Eurostat's formats, as the producer lays them out (the inverse of
pipelines.parsing): for round-trip tests and the local stand-in of the API.

`frame` holds one column per dimension, then `time` (normalised: 2015, 2015-Q1, 2015-07),
`value` (float or null) and `flags`.
"""

from __future__ import annotations

import json
import re

import polars as pl


def _cell(value: float | None, flags: str) -> str:
    text = ":" if value is None else repr(float(value))
    return f"{text} {flags}" if flags else text


def _bulk_period(period: str) -> str:
    """Old bulk headers write quarters and months without a dash: 2015Q1, 2015M07."""
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return period.replace("-", "M")
    return period.replace("-", "")


def _grid(frame: pl.DataFrame, dims: list[str]) -> tuple[list[str], dict]:
    periods = sorted(frame["time"].unique().to_list())
    cells: dict = {}
    for row in frame.iter_rows(named=True):
        key = tuple(row[d] for d in dims)
        cells.setdefault(key, {})[row["time"]] = _cell(row["value"], row["flags"])
    return periods, cells


def to_tsv(frame: pl.DataFrame, dims: list[str], bulk: bool = False) -> bytes:
    """Eurostat TSV: bulk (`a,b,geo\\time`, newest period first, trailing spaces) or the
    SDMX API layout (`a,b,geo\\TIME_PERIOD`, oldest first)."""
    periods, cells = _grid(frame, dims)
    if bulk:
        periods = periods[::-1]
    head = ",".join(dims) + ("\\time" if bulk else "\\TIME_PERIOD")
    labels = [(_bulk_period(p) + " ") if bulk else p for p in periods]
    lines = ["\t".join([head, *labels])]
    for key in sorted(cells):
        row = [cells[key].get(p, ":") for p in periods]
        lines.append("\t".join([",".join(key), *((c + " ") if bulk else c for c in row)]))
    return ("\n".join(lines) + "\n").encode()


def to_sdmx_csv(
    frame: pl.DataFrame, dims: list[str], dataset: str, last_update: str = "23/04/26 11:00:00"
) -> bytes:
    """SDMX-CSV 1.0 as the SDMX 2.1 API writes it (CRLF, `LAST UPDATE` dd/mm/yy)."""
    lines = [
        ",".join(
            [
                "DATAFLOW",
                "LAST UPDATE",
                *dims,
                "TIME_PERIOD",
                "OBS_VALUE",
                "OBS_FLAG",
                "CONF_STATUS",
            ]
        )
    ]
    flow = f"ESTAT:{dataset.upper()}(1.0)"
    for row in frame.sort([*dims, "time"]).iter_rows(named=True):
        value = "" if row["value"] is None else repr(float(row["value"]))
        codes = [row[d] for d in dims]
        lines.append(",".join([flow, last_update, *codes, row["time"], value, row["flags"], ""]))
    return ("\r\n".join(lines) + "\r\n").encode()


def to_jsonstat(
    frame: pl.DataFrame, dims: list[str], dataset: str, updated: str = "2026-04-23T11:00:00+0200"
) -> bytes:
    """JSON-stat 2.0 as the statistics API writes it: sparse `value` and `status`."""
    ids = [*dims, "time"]
    cats = {d: sorted(frame[d].unique().to_list()) for d in ids}
    size = [len(cats[d]) for d in ids]
    position = {d: {c: i for i, c in enumerate(cats[d])} for d in ids}
    values, status = {}, {}
    for row in frame.iter_rows(named=True):
        flat = 0
        for d, n in zip(ids, size, strict=True):
            flat = flat * n + position[d][row[d]]
        if row["value"] is not None:
            values[str(flat)] = row["value"]
        if row["flags"]:
            status[str(flat)] = row["flags"]
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": dataset,
        "source": "ESTAT",
        "updated": updated,
        "value": values,
        "status": status,
        "id": ids,
        "size": size,
        "dimension": {d: {"category": {"index": position[d]}} for d in ids},
        "extension": {"id": dataset.upper()},
    }
    return json.dumps(doc).encode()
