"""SDMX-CSV from Eurostat's SDMX API: one observation per row.

1.0: `DATAFLOW,LAST UPDATE,freq,...,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS` (CRLF).
2.0: `STRUCTURE,STRUCTURE_ID,...` with the same observation columns.
`CONF_STATUS` (the confidentiality status) becomes `conf_status`; an answer that matches no
data is the header alone: zero observations.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime

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
from pipelines.sources.eurostat.parsing.rawbytes import check_utf8, first_line

_META_COLUMNS = {"DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "ACTION", "LAST UPDATE"}
_OBS_COLUMNS = {"TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS"}
_NUMBER = r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$"


def looks_like(header: str) -> bool:
    return header.startswith(("DATAFLOW,", "STRUCTURE,"))


def parse(data: bytes, source: str) -> ParsedDataset:
    header = [c.strip() for c in first_line(data).split(",")]
    for required in ("TIME_PERIOD", "OBS_VALUE"):
        if required not in header:
            raise ParseError(source, f"SDMX-CSV header lacks the {required} column", 1, "1")
    dims = [c for c in header if c not in _META_COLUMNS | _OBS_COLUMNS]
    if not dims:
        raise ParseError(source, "SDMX-CSV header has no dimension columns", 1, "1")
    try:
        frame = pl.read_csv(
            data, infer_schema=False, has_header=True, raise_if_empty=False, eol_char="\n"
        )
    except pl.exceptions.ComputeError as exc:
        check_utf8(data, source)
        _find_ragged_row(data, source, len(header))
        raise ParseError(source, f"unreadable SDMX-CSV ({str(exc).splitlines()[0]})") from exc
    frame = frame.rename({c: c.strip() for c in frame.columns})
    frame = frame.with_columns(pl.col(pl.String).str.strip_chars("\r ")).with_row_index("__line", 2)
    if frame.height == 0:  # the header alone: the filter matches no data
        dims = [d.lower() for d in dims]
        return ParsedDataset(
            empty_frame(dims), dims, "sdmx-csv", warnings=[f"{NO_DATA} (header only)"]
        )
    _check_complete(frame, dims, source, header)
    frame = _periods(frame, source, header)
    value = pl.col("OBS_VALUE").fill_null("")
    bad = frame.filter((value != "") & (value != ":") & ~value.str.contains(_NUMBER))
    if bad.height:
        row = bad.row(0, named=True)
        raise ParseError(
            source,
            f"OBS_VALUE {row['OBS_VALUE']!r} is not a number",
            row["__line"],
            _col(header, "OBS_VALUE"),
        )
    flags = pl.col("OBS_FLAG").fill_null("") if "OBS_FLAG" in frame.columns else pl.lit("")
    flags = flags.str.to_lowercase().str.replace_all(r"[\s,]", "")
    conf = pl.col("CONF_STATUS").fill_null("") if "CONF_STATUS" in frame.columns else pl.lit("")
    frame = frame.with_columns(
        pl.when(value.is_in(["", ":"])).then(None).otherwise(value).cast(pl.Float64).alias("value"),
        flags.alias("flags"),
        conf.str.strip_chars().alias("conf_status"),
    ).rename({"TIME_PERIOD": "time"})
    check_flags(
        frame,
        source,
        lambda i: (frame["__line"][i], _col(header, "OBS_FLAG")),
        lambda i: (frame["__line"][i], _col(header, "CONF_STATUS")),
    )
    renamed = {d: d.lower() for d in dims}
    frame = frame.rename(renamed)
    dims = [renamed[d] for d in dims]
    return ParsedDataset(
        frame=finish(frame, dims),
        dimensions=dims,
        format="sdmx-csv",
        dataset=_dataset(frame, header),
        last_update=_last_update(frame, source),
    )


def _find_ragged_row(data: bytes, source: str, expected: int) -> None:
    """Slow path, only after polars refused the file: name the first row with extra fields."""
    lines = data.decode("utf-8").splitlines()
    for number, row in enumerate(csv.reader(lines), start=1):
        if row and len(row) > expected:
            raise ParseError(
                source,
                f"row has {len(row)} fields, the header has {expected}",
                number,
                str(expected + 1),
            )


def _col(header: list[str], name: str) -> str:
    return f"{header.index(name) + 1} ({name})" if name in header else name


def _check_complete(frame: pl.DataFrame, dims: list[str], source: str, header: list[str]) -> None:
    for name in [*dims, "TIME_PERIOD"]:
        missing = frame.filter(pl.col(name).is_null() | (pl.col(name) == ""))
        if missing.height:
            raise ParseError(
                source,
                f"empty {name} (ragged or truncated row)",
                missing["__line"][0],
                _col(header, name),
            )


def _periods(frame: pl.DataFrame, source: str, header: list[str]) -> pl.DataFrame:
    uniques = frame["TIME_PERIOD"].unique().to_list()
    mapping = {p: normalise_period(p) for p in uniques}
    for raw, norm in mapping.items():
        if norm is None:
            line = frame.filter(pl.col("TIME_PERIOD") == raw)["__line"][0]
            raise ParseError(
                source, f"{raw!r} is not a period code", line, _col(header, "TIME_PERIOD")
            )
    return frame.with_columns(pl.col("TIME_PERIOD").replace_strict(mapping, return_dtype=pl.String))


def _dataset(frame: pl.DataFrame, header: list[str]) -> str | None:
    column = (
        "DATAFLOW" if "DATAFLOW" in header else "STRUCTURE_ID" if "STRUCTURE_ID" in header else None
    )
    if column is None or frame.height == 0:
        return None
    match = re.search(r":([A-Za-z0-9_]+)\(", frame[column][0] or "")
    return match.group(1).lower() if match else None


def _last_update(frame: pl.DataFrame, source: str) -> datetime | None:
    if "LAST UPDATE" not in frame.columns:
        return None
    stamps = frame["LAST UPDATE"].drop_nulls().unique().to_list()
    parsed = []
    for stamp in stamps:
        for fmt in ("%d/%m/%y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
            try:
                parsed.append(datetime.strptime(stamp, fmt))
                break
            except ValueError:
                continue
    return max(parsed) if parsed else None
