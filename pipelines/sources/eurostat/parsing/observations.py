"""The common shape every parser returns, its errors, and Eurostat's flag and period codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import polars as pl

#: Eurostat observation flags (see docs/architecture.md#flags-and-confidentiality). `i` ("see
#: metadata") occurs in older bulk files; `:` is the missing-value symbol, not a flag.
KNOWN_FLAGS = "bcdefinprsuz"

FLAG_MEANINGS = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs",
    "e": "estimated",
    "f": "forecast",
    "i": "see metadata",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}

#: SDMX confidentiality status (code list CL_CONF_STATUS): the current API publishes it apart
#: from the flags (SDMX-CSV `CONF_STATUS`, TSV `: @C`, JSON-stat status `|C`). Every code but
#: F marks a cell that may not be published; older files mark one with the flag letter `c`.
CONF_STATUS_MEANINGS = {
    "F": "free (not confidential)",
    "C": "confidential statistical information",
    "D": "secondary confidentiality set by the sender",
    "N": "not for publication, restricted for internal use only",
    "S": "secondary confidentiality set by the receiver",
    "A": "primary confidentiality due to small counts",
    "O": "primary confidentiality due to dominance by one unit",
    "T": "primary confidentiality due to dominance by two units",
    "G": "primary confidentiality due to dominance by one or two units",
    "M": "primary confidentiality due to other measures of concentration",
}
CONFIDENTIAL_CODES = sorted(set(CONF_STATUS_MEANINGS) - {"F"})
#: The warning of an answer that holds no observation (the filter matches no data).
NO_DATA = "no observations: the answer matches no data"

_PERIOD_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})$"), r"\1"),
    (re.compile(r"^(\d{4})-?Q([1-4])$"), r"\1-Q\2"),
    (re.compile(r"^(\d{4})-?S([12])$"), r"\1-S\2"),
    (re.compile(r"^(\d{4})-?M?(0[1-9]|1[0-2])$"), r"\1-\2"),
]


class ParseError(ValueError):
    """A raw file that cannot be read as observations; names the file, line and column."""

    def __init__(
        self, source: str, message: str, line: int | None = None, column: str | None = None
    ):
        self.source = source
        self.line = line
        self.column = column
        self.reason = message
        where = source
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {message}")


@dataclass
class ParsedDataset:
    """Observations of one raw file in long form, one row per observation.

    `frame` holds one column per dimension (codes, as in the file), then `time` (normalised
    period: `2015`, `2015-Q1`, `2015-S1`, `2015-07`), `value` (Float64, null when missing),
    `flags` (letters from KNOWN_FLAGS, empty when none) and `conf_status` (a code of
    CONF_STATUS_MEANINGS, empty when none). A confidential cell reads the same in every format:
    no value, flag `c`, conf_status its code (`C` for the older files' flag `c`). A file with
    no observation (an answer that matches no data) has zero rows and a NO_DATA warning.
    """

    frame: pl.DataFrame
    dimensions: list[str]
    format: str
    dataset: str | None = None
    last_update: datetime | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.frame.height


def normalise_period(raw: str) -> str | None:
    """Return the canonical form of a Eurostat period code, or None when it is not one."""
    text = raw.strip()
    for pattern, replacement in _PERIOD_PATTERNS:
        if pattern.match(text):
            return pattern.sub(replacement, text)
    return None


def check_flags(frame: pl.DataFrame, source: str, locate, locate_conf=None) -> None:
    """Raise ParseError on the first flag letter outside KNOWN_FLAGS, the first unknown
    confidentiality code, or a cell flagged `c` (confidential) whose status is F (free).

    `locate(row_index)` returns (line, column) for the error message (`locate_conf` for the
    confidentiality status, when the format has a column of its own for it).
    """
    indexed = frame.with_row_index("__row")
    bad = indexed.filter(pl.col("flags").str.contains(f"[^{KNOWN_FLAGS}]"))
    if bad.height:
        row = bad.row(0, named=True)
        line, column = locate(row["__row"])
        raise ParseError(source, f"unknown flag(s) {row['flags']!r}", line, column)
    if "conf_status" not in frame.columns:
        return
    conf = pl.col("conf_status")
    problems = [
        (~conf.is_in(["", *CONF_STATUS_MEANINGS]), "unknown confidentiality status {!r}"),
        (
            (conf == "F") & pl.col("flags").str.contains("c", literal=True),
            "flag c (confidential) contradicts confidentiality status {!r} (free)",
        ),
    ]
    for condition, message in problems:
        bad = indexed.filter(condition)
        if bad.height:
            row = bad.row(0, named=True)
            line, column = (locate_conf or locate)(row["__row"])
            raise ParseError(source, message.format(row["conf_status"]), line, column)


def settle_confidentiality(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """One reading of confidentiality whatever the format: `conf_status` C for the flag `c` of
    older files, the flag `c` for every confidential code, and no value in a confidential
    cell (a value published there is dropped, with a warning)."""
    frame, dropped, first = _settle(frame)
    return frame, _dropped_note(dropped, first)


def _settle(frame: pl.DataFrame) -> tuple[pl.DataFrame, int, dict | None]:
    """`settle_confidentiality` of one frame: the frame, how many confidential cells carried
    a value, and the first of them (its dimensions and period)."""
    if "conf_status" not in frame.columns:
        frame = frame.with_columns(pl.lit("", dtype=pl.String).alias("conf_status"))
    flags, conf = pl.col("flags"), pl.col("conf_status")
    legacy = flags.str.contains("c", literal=True)
    confidential = conf.is_in(CONFIDENTIAL_CODES) | legacy
    if not frame.select(confidential.any()).item():
        return frame, 0, None
    valued = frame.filter(confidential & pl.col("value").is_not_null())
    first = None
    if valued.height:
        first = valued.drop("value", "flags", "conf_status").row(0, named=True)
    frame = frame.with_columns(
        pl.when(confidential).then(None).otherwise(pl.col("value")).alias("value"),
        pl.when(confidential & ~legacy).then(flags + "c").otherwise(flags).alias("flags"),
        pl.when((conf == "") & legacy).then(pl.lit("C")).otherwise(conf).alias("conf_status"),
    )
    return frame, valued.height, first


def _dropped_note(dropped: int, first: dict | None) -> list[str]:
    if not dropped or first is None:
        return []
    where = ", ".join(f"{k}={v}" for k, v in first.items() if not k.startswith("__"))
    return [f"{dropped} confidential cell(s) carried a value, dropped (first: {where})"]


def finish(frame: pl.DataFrame, dimensions: list[str]) -> pl.DataFrame:
    """Order columns the common way and sort observations by series, then period."""
    if "conf_status" not in frame.columns:
        frame = frame.with_columns(pl.lit("", dtype=pl.String).alias("conf_status"))
    cols = [*dimensions, "time", "value", "flags", "conf_status"]
    return frame.select(cols).sort([*dimensions, "time"])


def empty_frame(dimensions: list[str]) -> pl.DataFrame:
    """The observations of an answer that matches no data: the columns, no row."""
    schema = {d: pl.String for d in dimensions}
    schema |= {"time": pl.String, "value": pl.Float64, "flags": pl.String}
    return pl.DataFrame(schema={**schema, "conf_status": pl.String})


@dataclass
class ObservationStream:
    """Observations of one raw file as it is read, in batches: each batch a frame of the
    ParsedDataset shape, sorted by series, then period, its confidentiality settled
    (`settle_confidentiality`). Iterate it once (a load into the warehouse), or `collect()`
    the ParsedDataset. `rows` counts what was read so far; `in_order` stays True while each
    batch's first series comes after the previous batch's last (then the batches laid end to
    end are the ParsedDataset's frame). `warnings` is complete once every batch was read (the
    confidential cells that carried a value are counted over all batches: one warning, as
    for the whole file)."""

    batches: Iterator[pl.DataFrame]
    dimensions: list[str]
    format: str
    dataset: str | None = None
    last_update: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    rows: int = 0
    in_order: bool = True
    #: observations per series when every series has that many, in consecutive rows (a TSV:
    #: one per period), so that batches out of order are put in order by their series keys
    series_length: int | None = None

    @classmethod
    def of(cls, parsed: ParsedDataset) -> ObservationStream:
        """A parse already done, as a stream of one batch."""
        return cls(
            iter([parsed.frame]),
            parsed.dimensions,
            parsed.format,
            parsed.dataset,
            parsed.last_update,
            parsed.warnings,
        )

    def __iter__(self) -> Iterator[pl.DataFrame]:
        last, dropped, first = None, 0, None
        for batch in self.batches:
            frame, count, where = _settle(batch)
            if count:
                dropped += count
                first = where if first is None else min(first, where, key=self._position)
            if frame.height:
                if last is not None and self.in_order:
                    self.in_order = last < frame.select(self.dimensions).row(0)
                last = frame.select(self.dimensions).row(-1)
            self.rows += frame.height
            yield frame
        self.warnings += _dropped_note(dropped, first)

    def _position(self, row: dict) -> tuple:
        """Where a row comes in `finish`'s order (series, then period; nulls first)."""
        return tuple((row[k] is not None, row[k] or "") for k in [*self.dimensions, "time"])

    def collect(self) -> ParsedDataset:
        frames = list(self)
        frames = [f for f in frames if f.height] or frames[:1]
        frame = pl.concat(frames) if len(frames) > 1 else frames[0]
        if not self.in_order:
            frame = _in_series_order(frame, self.dimensions, self.series_length)
        return ParsedDataset(
            frame=frame,
            dimensions=self.dimensions,
            format=self.format,
            dataset=self.dataset,
            last_update=self.last_update,
            warnings=self.warnings,
        )


def _in_series_order(frame: pl.DataFrame, dims: list[str], length: int | None) -> pl.DataFrame:
    """`finish`'s order for batches that are each in order: when every series is `length`
    consecutive rows and no series repeats, only the series keys are sorted and the rows
    gathered by series (much cheaper than sorting every row); else `finish`."""
    if not length or frame.height % length:
        return finish(frame, dims)
    keys = frame.select(dims).gather_every(length)
    order = keys.select(pl.arg_sort_by(dims, maintain_order=True)).to_series().to_numpy()
    if keys.n_unique() != keys.height:
        return finish(frame, dims)  # a series twice: `finish` interleaves its observations
    rows = (order[:, None].astype(np.int64) * length + np.arange(length)).ravel()
    return frame[rows]
