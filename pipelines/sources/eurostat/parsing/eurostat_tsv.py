"""Eurostat TSV: the old bulk layout (`unit,sex,age,geo\\time`) and the SDMX API layout
(`freq,unit,...,geo\\TIME_PERIOD`). One series per line, periods as columns, each cell a value
followed by its flags (`9.1 b`, `: u`, `:`) and, in the SDMX layout, `@` and the
confidentiality status (`: @C`, `: p@C`). Series without data are left out, so an answer that
matches no data is the header alone: zero observations.

Files as Eurostat writes them (every cell `value flags` with exactly one blank: `9.1 b`,
`8.7 `, `: u`) take a fast path (`_parse_regular`); any other file, and every file with an
error, is read by the general path, which names the line and column of the first error. Both
give the same observations.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import polars as pl

from pipelines.sources.eurostat.parsing.observations import (
    CONF_STATUS_MEANINGS,
    KNOWN_FLAGS,
    NO_DATA,
    ObservationStream,
    ParsedDataset,
    ParseError,
    check_flags,
    empty_frame,
    finish,
    normalise_period,
)
from pipelines.sources.eurostat.parsing.rawbytes import TextStream, check_utf8, first_line

_NUMBER = r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$"
#: the end of a cell that holds a confidentiality status: `@` and the code (`: p@C`)
_CONF = r"\s*@([^@]*)$"
#: the flag text of a regular cell (flags, then perhaps `@` and a status): `bp`, `@C`, `p@C`
_FLAG_TEXT = f"^[{KNOWN_FLAGS}]*(?:@[{''.join(CONF_STATUS_MEANINGS)}])?$"


def looks_like(header: str) -> bool:
    """A TSV header: tab-separated, first cell `dims\\time` or `dims\\TIME_PERIOD` (alone when
    no series has data)."""
    key = header.split("\t", 1)[0]
    if "\t" in header:
        return "\\" in key
    return key.strip().endswith(("\\time", "\\TIME_PERIOD"))


def parse(data: bytes, source: str) -> ParsedDataset:
    return stream(TextStream(data, source), source).collect()


def stream(text: TextStream, source: str) -> ObservationStream:
    """The file's observations batch by batch: about BATCH_OBSERVATIONS per batch, each batch
    of whole lines parsed as a file of its own (the header, then those lines). The header
    alone (blank lines aside) is an answer that matches no data: zero observations, NO_DATA."""
    first = text.lines(1 << 16)
    end = first.find(b"\n") + 1 or len(first)
    header, sample = first[:end], first[end:]
    while not sample.strip():  # blank so far: read on until a data line or the end
        more = text.lines(1 << 16)
        if not more:  # the header alone: no series has data
            dims, _, fmt = _parse_header(first_line(header), source, periods_required=False)
            no_data = [f"{NO_DATA} (header only)"]
            return ObservationStream(iter([empty_frame(dims)]), dims, fmt, warnings=no_data)
        sample += more
    text.unread(sample)
    dims, periods, fmt = _parse_header(first_line(header), source)
    line_bytes = len(sample) / sample.count(b"\n") if b"\n" in sample else len(header)
    size = int(min(max(BATCH_OBSERVATIONS / len(periods) * line_bytes, 1), 1 << 26))
    batches = _batches(text, header, dims, periods, source, size)
    return ObservationStream(batches, dims, fmt, series_length=len(periods))


#: Observations per batch of `stream`: bounds the memory of a parse whatever the file's size
#: (a batch's long table takes about 100 bytes per observation).
BATCH_OBSERVATIONS = 250_000
#: Batches parsed at the same time (Polars and NumPy release the GIL while they work).
_THREADS = 2


def _batches(
    text: TextStream, header: bytes, dims: list[str], periods: list[str], source: str, size: int
) -> Iterator[pl.DataFrame]:
    """Each batch through the fast path, else the general path; an error names the line in
    the whole file. Batches of blank lines only are skipped (as the general path skips blank
    lines); `stream` has seen a data line (a header alone is no data, not an error)."""
    line = 2  # the file's line number of the batch's first line
    jobs = []
    while batch := text.lines(size):
        # empty lines at the start of a batch are skipped, as the general path skips blank
        # lines (Polars would take the first line for the number of columns)
        body = batch.lstrip(b"\r\n")
        first = line + batch.count(b"\n", 0, len(batch) - len(body))
        if body and not body.isspace():
            jobs.append((header + body, dims, periods, source, first - 2))
        line += batch.count(b"\n") + (not batch.endswith(b"\n"))
        if len(jobs) > 1:
            break
    if not jobs:
        _read_cells(header, source, periods)  # raises: no data lines after the header
    if len(jobs) == 1:  # the whole file in one batch: no thread needed
        yield _parse_batch(*jobs[0])
        return
    with ThreadPoolExecutor(_THREADS) as pool:
        parsing: deque[Future[pl.DataFrame]] = deque(pool.submit(_parse_batch, *j) for j in jobs)
        del jobs
        while batch := text.lines(size):
            body = batch.lstrip(b"\r\n")
            first = line + batch.count(b"\n", 0, len(batch) - len(body))
            if body and not body.isspace():
                data = header + body
                parsing.append(pool.submit(_parse_batch, data, dims, periods, source, first - 2))
            line += batch.count(b"\n") + (not batch.endswith(b"\n"))
            if len(parsing) > _THREADS:
                yield parsing.popleft().result()
        while parsing:
            yield parsing.popleft().result()


def _parse_batch(
    data: bytes, dims: list[str], periods: list[str], source: str, shift: int
) -> pl.DataFrame:
    """The observations of `data` (a header and data lines) as a file of its own; an error's
    line is moved by `shift` lines (where the batch's lines are in the whole file)."""
    try:
        long = _parse_regular(data, dims, periods)
        if long is None:
            frame = _read_cells(data, source, periods)
            frame = _split_key(frame, dims, source)
            long = finish(_to_long(frame, dims, periods, source), dims)
        return long
    except pl.exceptions.SchemaError:
        # Polars sizes the table by the first line: name it as the general path names a
        # ragged line further down
        start = data.find(b"\n") + 1
        fields = data[start : data.find(b"\n", start) % (len(data) + 1)].count(b"\t") + 1
        expected = len(periods) + 1
        if fields < expected:
            why, column = "empty cell or missing field (ragged line)", fields + 1
        else:
            why, column = f"line has {fields} fields, the header has {expected}", expected + 1
        raise ParseError(source, why, 2 + shift, str(column)) from None
    except ParseError as exc:
        if not shift or exc.line is None or exc.line < 2:
            raise
        raise ParseError(exc.source, exc.reason, exc.line + shift, exc.column) from None


def _parse_header(
    header: str, source: str, periods_required: bool = True
) -> tuple[list[str], list[str], str]:
    cells = header.split("\t")
    key = cells[0].strip()
    if "\\" not in key:
        raise ParseError(
            source,
            f"header cell {key!r} is not of the form 'dim1,dim2,...,geo\\time'",
            1,
            "1",
        )
    dims_part, time_label = key.rsplit("\\", 1)
    if time_label not in ("time", "TIME_PERIOD"):
        raise ParseError(
            source, f"header ends in {time_label!r}, expected 'time' or 'TIME_PERIOD'", 1, "1"
        )
    dims = [d.strip() for d in dims_part.split(",")]
    if any(not d for d in dims) or len(set(dims)) != len(dims):
        raise ParseError(
            source, f"dimension list {dims_part!r} has empty or repeated names", 1, "1"
        )
    if len(cells) < 2 and periods_required:
        raise ParseError(source, "header has no period columns", 1)
    periods: list[str] = []
    for i, cell in enumerate(cells[1:], start=2):
        period = normalise_period(cell)
        if period is None:
            raise ParseError(source, f"{cell.strip()!r} is not a period code", 1, str(i))
        if period in periods:
            raise ParseError(source, f"period {period} appears twice in the header", 1, str(i))
        periods.append(period)
    fmt = "eurostat-tsv-bulk" if time_label == "time" else "eurostat-tsv-sdmx"
    return dims, periods, fmt


def _read_cells(data: bytes, source: str, periods: list[str]) -> pl.DataFrame:
    newline = data.find(b"\n")
    if newline < 0 or not data[newline:].strip():
        raise ParseError(source, "no data lines after the header", 2)
    try:
        frame = pl.read_csv(
            data,
            separator="\t",
            has_header=False,
            skip_rows=1,
            infer_schema=False,
            quote_char=None,
            new_columns=["__key", *periods],
            raise_if_empty=False,
        )
    except pl.exceptions.ComputeError as exc:
        check_utf8(data, source)
        _find_ragged_line(data, source, len(periods) + 1)
        raise ParseError(source, f"unreadable TSV ({exc})") from exc
    if frame.width != len(periods) + 1:
        raise ParseError(source, "header and data have different numbers of columns", 1)
    frame = frame.with_row_index("__line", offset=2)
    frame = frame.filter(~pl.all_horizontal(pl.exclude("__line").is_null()))
    if frame.height == 0:
        raise ParseError(source, "no data lines after the header", 2)
    short = frame.filter(pl.any_horizontal(pl.exclude("__line").is_null()))
    if short.height:
        row = short.row(0, named=True)
        col = next(i for i, p in enumerate(["__key", *periods], start=1) if row[p] is None)
        raise ParseError(
            source, "empty cell or missing field (ragged line)", row["__line"], str(col)
        )
    return frame


def _find_ragged_line(data: bytes, source: str, expected: int) -> None:
    """Slow path, only after polars refused the file: name the first line with extra fields."""
    for number, line in enumerate(data.splitlines(), start=1):
        fields = line.count(b"\t") + 1
        if line.strip() and fields != expected:
            raise ParseError(
                source,
                f"line has {fields} fields, the header has {expected}",
                number,
                str(expected + 1),
            )


def _split_key(frame: pl.DataFrame, dims: list[str], source: str) -> pl.DataFrame:
    commas = pl.col("__key").str.count_matches(",", literal=True)
    bad = frame.filter(commas != len(dims) - 1)
    if bad.height:
        row = bad.row(0, named=True)
        raise ParseError(
            source,
            f"series key {row['__key']!r} does not have {len(dims)} codes ({','.join(dims)})",
            row["__line"],
            "1",
        )
    parts = pl.col("__key").str.strip_chars().str.split_exact(",", len(dims) - 1)
    frame = frame.with_columns(parts.alias("__parts")).unnest("__parts")
    renames = {f"field_{i}": d for i, d in enumerate(dims)}
    return frame.rename(renames).drop("__key")


def _to_long(frame: pl.DataFrame, dims: list[str], periods: list[str], source: str) -> pl.DataFrame:
    long = frame.unpivot(
        index=["__line", *dims], on=periods, variable_name="time", value_name="__cell"
    )
    cell = pl.col("__cell").str.strip_chars()
    # splitn, not split_exact: `1  b` (two blanks) keeps its flags, `2 b 3` is refused
    parts = cell.str.replace(_CONF, "").str.strip_chars().str.splitn(" ", 2)
    long = long.with_columns(
        parts.struct.field("field_0").alias("__value"),
        parts.struct.field("field_1")
        .str.replace_all(" ", "", literal=True)
        .fill_null("")
        .alias("flags"),
        cell.str.extract(_CONF, 1).str.strip_chars().fill_null("").alias("conf_status"),
    )
    is_missing = pl.col("__value") == ":"
    number = pl.col("__value").str.contains(_NUMBER)
    bad = long.filter(~is_missing & ~number)
    if bad.height:
        row = bad.row(0, named=True)
        raise ParseError(
            source,
            f"cell {row['__cell']!r} is neither a number nor ':' (missing)",
            row["__line"],
            f"{periods.index(row['time']) + 2} ({row['time']})",
        )
    long = long.with_columns(
        pl.when(is_missing).then(None).otherwise(pl.col("__value")).cast(pl.Float64).alias("value")
    )

    def locate(i: int) -> tuple[int, str]:
        r = long.row(i, named=True)
        return r["__line"], f"{periods.index(r['time']) + 2} ({r['time']})"

    check_flags(long, source, locate)
    return long


#: Every byte but the separators and blanks: `bytes.translate(None, _NON_BLANK)` keeps only
#: the tabs, blanks, line ends and control characters of a file, in order.
_NON_BLANK = bytes(range(33, 256))
_RESERVED = {"time", "value", "flags", "conf_status"}
#: How the fast path reads the flags (`b`, `ep`, ...): as a number per distinct text, from
#: which the flags column is made once, in the order of the observations.
_FLAG_TEXTS = pl.Categorical(pl.Categories("pipelines.sources.eurostat.parsing.eurostat_tsv.flags"))


def _parse_regular(data: bytes, dims: list[str], periods: list[str]) -> pl.DataFrame | None:
    """The observations of a file in Eurostat's own layout, or None to use the general path.

    "Eurostat's own layout": every data line is `key`, then for each period a tab and a cell
    `value flags` with exactly one blank (`9.4 b`, `8.7 `, `: u`, `: @C`; the flags may be
    empty, and end in `@` and a confidentiality status);
    nothing else below 0x21 but the line ends (all LF or all CRLF); no empty key or value.
    Then replacing every blank by a tab makes each cell two columns, and Polars' CSV reader
    parses the values as numbers (`:` as null) and the flags as categories, in parallel, with
    no string operation per cell; the long table is assembled by gathers in its final order
    (no sort of the observations, only of the series keys). Any doubt returns None: a number Polars reads but the general
    path's pattern refuses (`inf`, `nan`; a finite number Polars reads always matches it), a
    flag outside KNOWN_FLAGS, a key with the wrong number of codes, a series twice, a read
    error. The result equals the general path's (`finish`: sorted by series, then period)."""
    start = data.find(b"\n") + 1
    if start == 0 or start >= len(data) or _RESERVED & set(dims):
        return None
    if any(d.startswith("__") for d in dims):
        return None
    width = len(periods)
    blanks = data.translate(None, _NON_BLANK)
    if not data.endswith(b"\n"):
        blanks += b"\n"
    head = len(data[:start].translate(None, _NON_BLANK))
    line = b"\t " * width + (b"\r\n" if blanks.endswith(b"\r\n") else b"\n")
    lines, rest = divmod(len(blanks) - head, len(line))
    # `lines` non-overlapping copies of `line` in exactly that length: nothing else
    regular = not rest and lines > 0 and blanks.count(line, head) == lines
    del blanks
    if not regular:
        return None
    values = [f"__v{i}" for i in range(width)]
    flags = [f"__f{i}" for i in range(width)]
    schema: dict[str, pl.DataType] = {"__key": pl.String()}
    for v, f in zip(values, flags, strict=True):
        schema[v] = pl.Float64()
        schema[f] = _FLAG_TEXTS
    try:
        frame = pl.read_csv(
            data.replace(b" ", b"\t"),
            separator="\t",
            has_header=False,
            skip_rows=1,
            quote_char=None,
            schema=schema,
            null_values=dict.fromkeys(values, ":"),
            empty_string_is_null=False,
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None
    key = pl.col("__key")
    checks = [
        pl.len() == lines,
        key.is_not_null().all(),
        (key.str.len_bytes() > 0).all(),
        (key.str.count_matches(",", literal=True) == len(dims) - 1).all(),
        # `:` only as a whole value (a flag, key or number cannot hold one): then the nulls
        # are exactly the `:` cells, and no value is empty (a cell starting with a blank).
        ~key.str.contains(":", literal=True).any(),
        pl.sum_horizontal(pl.col(v).null_count() for v in values) == data.count(b":", start),
        *(pl.col(v).is_finite().all() for v in values),
    ]
    if not all(frame.select(pl.all_horizontal(checks)).row(0)):
        return None
    tables = _flag_table(frame, flags)
    if tables is None:
        return None
    table, conf_table = tables
    empty = table.len() - 1
    parts = key.str.strip_chars().str.split_exact(",", len(dims) - 1)
    renames = {f"field_{i}": d for i, d in enumerate(dims)}
    keys = frame.select(parts.alias("__parts")).unnest("__parts").rename(renames).rechunk()
    # Sorted by series, then by period: the order of `finish`.
    rows = keys.select(pl.arg_sort_by(dims, maintain_order=True)).to_series().to_numpy()
    keys = keys[rows]
    n = len(rows)
    if (
        n > 1
        and not keys.select(
            pl.any_horizontal(pl.col(d) != pl.col(d).shift() for d in dims).slice(1).all()
        ).item()
    ):
        return None  # a series twice: `finish` interleaves their observations
    order = sorted(range(width), key=periods.__getitem__)
    # where each observation (series by series, periods in order) is in the period columns
    # laid end to end; filled one column at a time (a broadcast over rows is much slower)
    at = np.empty((n, width), dtype=np.uint32 if n * width < 2**32 else np.uint64)
    for j, i in enumerate(order):
        np.add(rows, i * n, out=at[:, j], casting="unsafe")
    at = pl.Series(at.ravel())
    value = pl.concat([frame[v] for v in values], rechunk=True).gather(at)
    code = pl.concat([frame[f].to_physical() for f in flags], rechunk=True).gather(at)
    flag = table.gather(code.fill_null(empty))
    conf = conf_table.gather(code.fill_null(empty))
    del frame, at, code  # freed before the next allocations, which can then reuse the memory
    period = np.empty((n, width), dtype=np.uint8 if width < 256 else np.uint32)
    period[:] = np.arange(width, dtype=period.dtype)
    time = pl.Series([periods[i] for i in order]).gather(period.ravel())
    del period
    long = keys.with_columns(value.reshape((n, width)).alias("value")).explode("value")
    return long.select(
        *dims, time.alias("time"), "value", flag.alias("flags"), conf.alias("conf_status")
    )


def _flag_table(frame: pl.DataFrame, flags: list[str]) -> tuple[pl.Series, pl.Series] | None:
    """The flags and the confidentiality status of each flag category the file uses (`bp`,
    `@C`, `p@C`), by category id, then "" (the last entry) for an empty field (which a
    Categorical reads as null); None when a text is not flags and perhaps `@` and a status."""
    used = pl.concat([frame[f].unique() for f in flags]).unique()
    texts = used.cast(pl.String).fill_null("")
    if not texts.str.contains(_FLAG_TEXT).all():
        return None
    ids = used.to_physical()
    empty = int(ids.max() or 0) + 1
    table, conf = [""] * (empty + 1), [""] * (empty + 1)
    for i, text in zip(ids.fill_null(empty).to_list(), texts.to_list(), strict=True):
        table[i], _, conf[i] = text.partition("@")
    return pl.Series(table, dtype=pl.String), pl.Series(conf, dtype=pl.String)
