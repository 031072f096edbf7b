"""Old Eurostat Data Explorer CSV exports: quoted, one observation per row, often latin-1,
dimension *labels* instead of codes (`"AGE"="15 years or over"`).

Read for inspection with a warning; the pipeline refuses to load them (see ingest), because
labels cannot be matched to the registry's codes.
"""

from __future__ import annotations

import polars as pl

from pipelines.sources.eurostat.parsing.observations import (
    ParsedDataset,
    ParseError,
    check_flags,
    finish,
    normalise_period,
)

LABELS_WARNING = (
    "Data Explorer export: dimension values are labels, not codes "
    "(only GEO holds codes); download the dataset as TSV or SDMX-CSV to load it"
)
_FLAG_COLUMN = "Flag and Footnotes"


def looks_like(header: str) -> bool:
    return header.startswith('"TIME"') or _FLAG_COLUMN in header


def parse(data: bytes, source: str) -> ParsedDataset:
    warnings = [LABELS_WARNING]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        warnings.append("file is not UTF-8; read as latin-1")
    try:
        frame = pl.read_csv(text.encode("utf-8"), infer_schema=False, raise_if_empty=False)
    except pl.exceptions.ComputeError as exc:
        raise ParseError(
            source, f"unreadable Data Explorer CSV ({str(exc).splitlines()[0]})"
        ) from exc
    for required in ("TIME", "GEO", "Value"):
        if required not in frame.columns:
            raise ParseError(source, f"header lacks the {required!r} column", 1)
    frame = frame.with_row_index("__line", 2)
    dims = [
        c
        for c in frame.columns
        if c not in ("__line", "TIME", "Value", _FLAG_COLUMN) and not c.endswith("_LABEL")
    ]
    raw_value = pl.col("Value").fill_null(":").str.replace_all(r"[,\s]", "")
    number = raw_value.str.contains(r"^[-+]?(?:\d+\.?\d*|\.\d+)$")
    bad = frame.filter(~number & (raw_value != ":"))
    if bad.height:
        row = bad.row(0, named=True)
        col = frame.columns.index("Value")
        raise ParseError(
            source, f"Value {row['Value']!r} is not a number", row["__line"], f"{col} (Value)"
        )
    periods = {p: normalise_period(p) for p in frame["TIME"].unique().to_list()}
    for raw, norm in periods.items():
        if norm is None:
            line = frame.filter(pl.col("TIME") == raw)["__line"][0]
            raise ParseError(source, f"{raw!r} is not a period code", line, "1 (TIME)")
    flags = pl.col(_FLAG_COLUMN).fill_null("") if _FLAG_COLUMN in frame.columns else pl.lit("")
    frame = frame.with_columns(
        pl.col("TIME").replace_strict(periods, return_dtype=pl.String).alias("time"),
        pl.when(number).then(raw_value).otherwise(None).cast(pl.Float64).alias("value"),
        flags.str.to_lowercase().str.replace_all(r"[^a-z]", "").alias("flags"),
    )
    check_flags(frame, source, lambda i: (frame["__line"][i], _FLAG_COLUMN))
    renamed = {d: d.lower() for d in dims}
    frame = frame.rename(renamed)
    dims = [renamed[d] for d in dims]
    return ParsedDataset(
        frame=finish(frame, dims), dimensions=dims, format="data-explorer-csv", warnings=warnings
    )
