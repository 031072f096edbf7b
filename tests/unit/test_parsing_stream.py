"""A Eurostat TSV read in batches of lines (`parse_stream`, bounded memory) gives the same
observations as read in one batch, from bytes or from a file, plain or gzip; errors name the
line of the whole file."""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.sources.eurostat.parsing import (
    NO_DATA,
    ParseError,
    eurostat_tsv,
    parse_bytes,
    parse_stream,
)
from pipelines.sources.eurostat.parsing.rawbytes import TextStream

HEADER = b"unit,sex,geo\\time\t2015 \t2014 \t2013 \n"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def outcome(data: bytes | Path, batch: int) -> object:
    """The frame of a parse in batches of about `batch` observations, or the error."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(eurostat_tsv, "BATCH_OBSERVATIONS", batch)
        try:
            return parse_stream(data, "x.tsv").collect().frame
        except ParseError as exc:
            return (str(exc), exc.line, exc.column)


def same(a: object, b: object) -> bool:
    if isinstance(a, pl.DataFrame) and isinstance(b, pl.DataFrame):
        return a.schema == b.schema and a.equals(b)
    return a == b


def whole(data: bytes) -> object:
    return outcome(data, 10**12)


def test_real_files_in_small_batches_give_the_same_observations(shared_data, tmp_path):
    files = sorted(p for p in shared_data.iterdir() if p.name.endswith((".tsv", ".tsv.gz")))
    assert files
    for path in files:
        data = path.read_bytes()
        expected = whole(data)
        assert isinstance(expected, pl.DataFrame), path.name
        stream = parse_stream(path, str(path))
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(eurostat_tsv, "BATCH_OBSERVATIONS", 400)
            batches = list(parse_stream(path, str(path)))
        assert len(batches) > 3, path.name  # really read in batches
        assert same(outcome(data, 400), expected), path.name
        assert same(outcome(path, 400), expected), path.name
        assert same(stream.collect().frame, expected), path.name
        assert stream.rows == expected.height
        plain = tmp_path / "plain.tsv"
        plain.write_bytes(gzip.decompress(data) if path.suffix == ".gz" else data)
        assert same(outcome(gzip.compress(plain.read_bytes()), 400), expected), path.name


def test_batches_are_sorted_and_counted(shared_data):
    path = shared_data / "lfst_r_lfu3rt.tsv"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(eurostat_tsv, "BATCH_OBSERVATIONS", 5000)
        stream = parse_stream(path, str(path))
        batches = list(stream)
    assert len(batches) > 10
    for frame in batches:
        assert frame.equals(frame.sort([*stream.dimensions, "time"]))
    assert stream.in_order  # Eurostat's file is ordered by series
    assert stream.rows == sum(f.height for f in batches) == parse_bytes(path.read_bytes(), "x").rows


def test_an_error_names_the_line_of_the_whole_file():
    lines = [b"PC,T,G%04d\t1 \t2 b\t: \n" % i for i in range(400)]
    lines[300] = b"PC,T,G0300\t1 \tabc \t3 \n"
    data = HEADER + b"".join(lines)
    err = outcome(data, 30)
    assert err == whole(data)
    assert err[1:] == (302, "3 (2014)")


def test_unordered_series_are_sorted_as_in_one_batch():
    lines = [b"PC,T,G%04d\t%d \t2 b\t: \n" % (i, i) for i in reversed(range(200))]
    data = HEADER + b"".join(lines)
    stream = parse_stream(data, "x.tsv")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(eurostat_tsv, "BATCH_OBSERVATIONS", 30)
        stream = parse_stream(data, "x.tsv")
        frame = stream.collect().frame
    assert not stream.in_order
    assert same(frame, whole(data))


def test_a_series_twice_in_two_batches_is_sorted_as_in_one_batch():
    """The same observations; the order between the two copies' rows of one period is
    arbitrary either way (`finish` sorts by series and period only)."""
    lines = [b"PC,T,G%04d\t%d \t2 b\t: \n" % (i % 150, i) for i in range(200)]
    data = HEADER + b"".join(lines)
    batched, one = outcome(data, 30), whole(data)
    assert same(batched.sort(pl.all()), one.sort(pl.all()))
    keys = ["unit", "sex", "geo", "time"]
    assert same(batched.select(keys), one.select(keys))


def test_blank_lines_between_batches_and_no_data_at_all():
    """The header and blank lines only is an answer that matches no data: zero observations
    with the NO_DATA warning (it was an error before answers with no data were read)."""
    lines = [b"PC,T,G%04d\t1 \t2 \t3 \n" % i for i in range(100)]
    data = HEADER + b"".join(lines[:50]) + b"\n" * 500 + b"".join(lines[50:])
    assert same(outcome(data, 30), whole(data))
    empty = HEADER + b"\n" * 500
    assert same(outcome(empty, 30), whole(empty))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(eurostat_tsv, "BATCH_OBSERVATIONS", 30)
        parsed = parse_stream(empty, "x.tsv").collect()
    assert parsed.rows == 0 and parsed.warnings == [f"{NO_DATA} (header only)"]


REGULAR = st.sampled_from([": ", ": u", "1 ", "-2.5 p", "7.0 b", "3 bp", "1e5 "])
ODD = st.sampled_from([":", " 4", "5  e", "x ", "1 q", "", "1", "2 b 3"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(REGULAR, min_size=3, max_size=3), min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 39), st.integers(0, 2), ODD), max_size=3),
    st.integers(1, 40),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)
def test_any_file_in_batches_gives_what_one_batch_gives(rows, odd, batch, newline, gzipped):
    """Distinct series, regular cells and a few odd ones (the general path, or an error), in
    batches of any size. With one odd cell the outcome is the same, error included; with
    several bad cells both fail, but may name different ones (one batch names the first in
    its own order of checks, batches the first bad batch's)."""
    for row, col, cell in odd:
        rows[row % len(rows)][col] = cell
    lines = [f"PC,T,G{i:03d}\t" + "\t".join(cells) + newline for i, cells in enumerate(rows)]
    data = HEADER + "".join(lines).encode()
    data = gzip.compress(data) if gzipped else data
    batched, one = outcome(data, batch), whole(data)
    if len(odd) <= 1:
        assert same(batched, one)
    else:
        assert type(batched) is type(one)
        assert not isinstance(one, pl.DataFrame) or same(batched, one)


def test_multi_member_and_truncated_gzip():
    lines = b"".join(b"PC,T,G%04d\t1 \t2 \t3 \n" % i for i in range(300))
    two = gzip.compress(HEADER + lines[:4000]) + gzip.compress(lines[4000:])
    assert same(outcome(two, 30), whole(HEADER + lines))
    cut = gzip.compress(HEADER + lines)[:-40]
    with pytest.raises(ParseError, match="truncated") as info:
        parse_bytes(cut, "x.tsv.gz")
    assert info.value.line is not None


def test_text_stream_reads_whole_lines_from_a_file(tmp_path):
    path = tmp_path / "x.tsv.gz"
    text = b"\xef\xbb\xbf" + HEADER + b"".join(b"PC,T,G%04d\t1 \t2 \t3 \n" % i for i in range(999))
    path.write_bytes(gzip.compress(text))
    stream = TextStream(path, str(path))
    pieces = []
    while piece := stream.lines(1000):
        assert piece.endswith(b"\n")
        pieces.append(piece)
    assert len(pieces) > 10
    assert b"".join(pieces) == text[3:]


def test_other_formats_are_one_batch():
    data = (FIXTURES / "jsonstat_small.json").read_bytes()
    stream = parse_stream(data, "x.json")
    assert len(list(stream)) == 1
    assert stream.rows == parse_bytes(data, "x.json").rows


# --- confidentiality and answers with no data, batch by batch -----------------------------

CONF_HEADER = b"freq,unit,geo\\TIME_PERIOD\t2022 \t2023 \t2024 \n"
#: cells of the current API (`: @C`, `12.3 p@C`: a value where the status forbids one) and
#: of older files (`: c`, `4 c`), in both paths (the regular layout, and odd blanks)
CONF_CELLS = [": @C", "12.3 p@C", ": p@D", "7.5 ", ": u", "4.0 @A", ": c", "4 c", "1 b"]


def conf_file(series: int, odd: bool = False) -> bytes:
    rows = []
    for i in range(series):
        cells = [CONF_CELLS[(i + k) % len(CONF_CELLS)] for k in range(3)]
        if odd and i % 7 == 3:
            cells[1] = cells[1].replace(" ", "  ", 1)  # the general path for that batch
        rows.append(f"A,PC,G{i:04d}\t" + "\t".join(cells) + "\n")
    return CONF_HEADER + "".join(rows).encode()


@pytest.mark.parametrize("odd", [False, True])
@pytest.mark.parametrize("batch", [1, 3, 7, 40])
def test_confidential_cells_in_batches_read_as_the_whole_file(odd, batch):
    """Every batch carries conf_status and is settled as the whole file is: same frame cell
    for cell, and one warning counting the dropped values of all batches, naming the first."""
    data = conf_file(60, odd)
    expected = parse_bytes(data, "x.tsv")
    frame = expected.frame
    assert frame.columns[-1] == "conf_status"
    confidential = frame.filter(pl.col("conf_status") != "")
    assert set(confidential["conf_status"]) == {"A", "C", "D"}
    assert confidential["value"].null_count() == confidential.height
    assert confidential["flags"].str.contains("c").all()
    [dropped] = [w for w in expected.warnings if "carried a value" in w]
    assert "geo=G0000, time=2023" in dropped
    # 180 cells, each of the 9 kinds 20 times; 3 kinds carry a value
    assert dropped.startswith("60 confidential cell(s)")
    if odd:  # two blanks in a cell (the general path) read as one
        assert same(frame, parse_bytes(conf_file(60), "x.tsv").frame)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(eurostat_tsv, "BATCH_OBSERVATIONS", batch)
        stream = parse_stream(data, "x.tsv")
        batches = list(stream)
    assert len(batches) > 3
    for part in batches:
        assert part.schema == frame.schema
    assert same(pl.concat(batches), frame)
    assert stream.warnings == expected.warnings
    assert same(outcome(data, batch), frame)
    reversed_lines = CONF_HEADER + b"".join(reversed(data.splitlines(True)[1:]))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(eurostat_tsv, "BATCH_OBSERVATIONS", batch)
        unordered = parse_stream(reversed_lines, "x.tsv").collect()
    assert same(unordered.frame, frame) and unordered.warnings == expected.warnings


@pytest.mark.parametrize(
    "data",
    [
        b"freq,unit,geo\\TIME_PERIOD\n",
        b"freq,unit,geo\\TIME_PERIOD\t2024 \n",
        b"freq,unit,geo\\TIME_PERIOD\t2024 \r\n\r\n\n",
        gzip.compress(b"freq,unit,geo\\TIME_PERIOD\t2023 \t2024 \n" + b"\n" * 2000, mtime=0),
    ],
    ids=["no periods", "periods", "blank lines", "gzip, 2000 blank lines"],
)
def test_an_answer_with_no_data_in_batches_is_zero_observations(data):
    expected = parse_bytes(data, "x.tsv", "nama_10r_2gdp")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(eurostat_tsv, "BATCH_OBSERVATIONS", 1)
        stream = parse_stream(data, "x.tsv", "nama_10r_2gdp")
        batches = list(stream)
    assert expected.rows == stream.rows == 0
    assert expected.warnings == stream.warnings == [f"{NO_DATA} (header only)"]
    assert stream.dataset == expected.dataset == "nama_10r_2gdp"
    assert stream.dimensions == expected.dimensions == ["freq", "unit", "geo"]
    assert same(pl.concat(batches), expected.frame)
    assert expected.frame.columns == [
        "freq",
        "unit",
        "geo",
        "time",
        "value",
        "flags",
        "conf_status",
    ]
