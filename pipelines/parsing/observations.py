"""The common shape every parser returns, its errors, and Eurostat's flag and period codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import polars as pl

#: Eurostat observation flags (see docs/architecture.md#flags). `i` ("see metadata") occurs in
#: older bulk files; `:` is the missing-value symbol, not a flag.
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
    period: `2015`, `2015-Q1`, `2015-S1`, `2015-07`), `value` (Float64, null when missing)
    and `flags` (letters from KNOWN_FLAGS, empty when none).
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


def check_flags(frame: pl.DataFrame, source: str, locate) -> None:
    """Raise ParseError on the first flag letter outside KNOWN_FLAGS.

    `locate(row_index)` returns (line, column) for the error message.
    """
    bad = frame.with_row_index("__row").filter(pl.col("flags").str.contains(f"[^{KNOWN_FLAGS}]"))
    if bad.height:
        row = bad.row(0, named=True)
        line, column = locate(row["__row"])
        raise ParseError(source, f"unknown flag(s) {row['flags']!r}", line, column)


def finish(frame: pl.DataFrame, dimensions: list[str]) -> pl.DataFrame:
    """Order columns the common way and sort observations by series, then period."""
    cols = [*dimensions, "time", "value", "flags"]
    return frame.select(cols).sort([*dimensions, "time"])


@dataclass
class ObservationStream:
    """Observations of one raw file as it is read, in batches: each batch a frame of the
    ParsedDataset shape, sorted by series, then period. Iterate it once (a load into the
    warehouse), or `collect()` the ParsedDataset. `rows` counts what was read so far;
    `in_order` stays True while each batch's first series comes after the previous batch's
    last (then the batches laid end to end are the ParsedDataset's frame)."""

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
        last = None
        for frame in self.batches:
            if frame.height:
                if last is not None and self.in_order:
                    self.in_order = last < frame.select(self.dimensions).row(0)
                last = frame.select(self.dimensions).row(-1)
            self.rows += frame.height
            yield frame

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
