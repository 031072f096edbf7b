"""Observations written in Eurostat's formats, as the producer lays them out (the inverse of
pipelines.sources.eurostat.parsing): for round-trip tests and the local stand-in of the API.

`frame` holds one column per dimension, then `time` (normalised: 2015, 2015-Q1, 2015-07),
`value` (float or null), `flags` and perhaps `conf_status`. With a `conf_status`, a confidential
cell is written as the current API writes it, its status apart from the flags (TSV `: @C`,
SDMX-CSV `CONF_STATUS`, JSON-stat `|C`; the old bulk TSV knows only the flag `c`); without
one, the flags are written as they are.
"""

from __future__ import annotations

import json
import re

import polars as pl

from pipelines.sources.eurostat.parsing import (
    CONF_STATUS_MEANINGS,
    CONFIDENTIAL_CODES,
    FLAG_MEANINGS,
)


def with_conf(frame: pl.DataFrame) -> pl.DataFrame:
    """What the parsers give for a frame written without `conf_status`: the status C where the
    flags hold `c` (a confidential cell, as older files mark it), else empty."""
    if "conf_status" in frame.columns:
        return frame
    legacy = pl.col("flags").str.contains("c", literal=True)
    return frame.with_columns(
        pl.when(legacy).then(pl.lit("C")).otherwise(pl.lit("")).alias("conf_status")
    )


def legacy_view(frame: pl.DataFrame) -> pl.DataFrame:
    """What the old bulk TSV can say of `frame`: confidential (C, from the flag `c`) or not."""
    conf = pl.col("conf_status").is_in(CONFIDENTIAL_CODES)
    return with_conf(frame).with_columns(
        pl.when(conf).then(pl.lit("C")).otherwise(pl.lit("")).alias("conf_status")
    )


def _apart(flags: str, conf: str) -> str:
    """The flags of a cell whose confidentiality is written apart (the letter c left out)."""
    return flags.replace("c", "") if conf in CONFIDENTIAL_CODES else flags


def _cell(value: float | None, flags: str, conf: str = "", bulk: bool = False) -> str:
    text = ":" if value is None else repr(float(value))
    if conf and not bulk:
        return f"{text} {_apart(flags, conf)}@{conf}"
    return f"{text} {flags}" if flags else text


def _bulk_period(period: str) -> str:
    """Old bulk headers write quarters and months without a dash: 2015Q1, 2015M07."""
    if re.fullmatch(r"\d{4}-\d{2}", period):
        return period.replace("-", "M")
    return period.replace("-", "")


def _grid(frame: pl.DataFrame, dims: list[str], bulk: bool) -> tuple[list[str], dict]:
    periods = sorted(frame["time"].unique().to_list())
    cells: dict = {}
    for row in frame.iter_rows(named=True):
        key = tuple(row[d] for d in dims)
        cell = _cell(row["value"], row["flags"], row.get("conf_status") or "", bulk)
        cells.setdefault(key, {})[row["time"]] = cell
    return periods, cells


def to_tsv(frame: pl.DataFrame, dims: list[str], bulk: bool = False) -> bytes:
    """Eurostat TSV: bulk (`a,b,geo\\time`, newest period first, trailing spaces) or the
    SDMX API layout (`a,b,geo\\TIME_PERIOD`, oldest first)."""
    periods, cells = _grid(frame, dims, bulk)
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
        conf = row.get("conf_status") or ""
        flags = _apart(row["flags"], conf)
        lines.append(",".join([flow, last_update, *codes, row["time"], value, flags, conf]))
    return ("\r\n".join(lines) + "\r\n").encode()


def to_jsonstat(
    frame: pl.DataFrame,
    dims: list[str],
    dataset: str,
    updated: str = "2026-04-23T11:00:00+0200",
    asked: dict[str, list[str]] | None = None,
) -> bytes:
    """JSON-stat 2.0 as the statistics API writes it: sparse `value` and `status` (`p`, `|C`,
    `p|C`), labels in `extension.status`. With no observation, the dimensions list the codes
    `asked` for and the others (time at least) have size 0."""
    ids = [*dims, "time"]
    cats = {d: sorted(frame[d].unique().to_list()) for d in ids}
    if frame.height == 0:
        cats = {d: sorted((asked or {}).get(d, [])) if d != "time" else [] for d in ids}
    size = [len(cats[d]) for d in ids]
    position = {d: {c: i for i, c in enumerate(cats[d])} for d in ids}
    values, status = {}, {}
    for row in frame.iter_rows(named=True):
        flat = 0
        for d, n in zip(ids, size, strict=True):
            flat = flat * n + position[d][row[d]]
        if row["value"] is not None:
            values[str(flat)] = row["value"]
        conf = row.get("conf_status") or ""
        text = _apart(row["flags"], conf) + (f"|{conf}" if conf else "")
        if text:
            status[str(flat)] = text
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
        "extension": {"id": dataset.upper(), "status": {"label": _status_labels(status)}},
    }
    return json.dumps(doc).encode()


def _status_labels(status: dict[str, str]) -> dict[str, str]:
    """A label per flag letter (`p`) and confidentiality status (`|C`) the answer uses."""
    labels = {}
    for text in set(status.values()):
        flags, _, conf = text.partition("|")
        labels.update({f: FLAG_MEANINGS[f] for f in flags if f in FLAG_MEANINGS})
        if conf:
            labels[f"|{conf}"] = CONF_STATUS_MEANINGS.get(conf, conf)
    return dict(sorted(labels.items()))
