"""The TSV fast path (files in Eurostat's own layout, read by Polars' CSV reader) gives exactly
what the general path gives, and leaves every other file, and every error, to it."""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.sources.eurostat.parsing import ParseError, eurostat_tsv, parse_bytes, parse_file
from pipelines.sources.eurostat.parsing.rawbytes import first_line

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HEADER = b"unit,sex,geo\\time\t2015 \t2014 \t2013 \n"


def general(data: bytes, monkeypatch) -> object:
    """What the general path alone gives: the frame, or the error's text, line and column."""
    with monkeypatch.context() as m:
        m.setattr(eurostat_tsv, "_parse_regular", lambda *args: None)
        return outcome(data)


def outcome(data: bytes) -> object:
    try:
        return parse_bytes(data, "x.tsv").frame
    except ParseError as exc:
        return (str(exc), exc.line, exc.column)
    except pl.exceptions.PolarsError as exc:  # as the general path raises it (a `\d` digit)
        return type(exc).__name__


def fast(data: bytes) -> pl.DataFrame | None:
    dims, periods, _ = eurostat_tsv._parse_header(first_line(data), "x.tsv")
    return eurostat_tsv._parse_regular(data, dims, periods)


def same(a: object, b: object) -> bool:
    if isinstance(a, pl.DataFrame) and isinstance(b, pl.DataFrame):
        return a.schema == b.schema and a.equals(b)
    return a == b


def real_tsv_files(folder):
    return sorted(p for p in folder.iterdir() if p.name.endswith((".tsv", ".tsv.gz")))


def test_real_files_take_the_fast_path_and_give_the_same_observations(shared_data, monkeypatch):
    files = real_tsv_files(shared_data)
    assert files
    for path in files:
        data = path.read_bytes()
        data = gzip.decompress(data) if path.suffix == ".gz" else data
        assert fast(data) is not None, path.name
        assert same(parse_file(path).frame, general(data, monkeypatch)), path.name


def test_the_current_api_layout_takes_the_fast_path(monkeypatch):
    data = (FIXTURES / "lfsq_current_api.tsv").read_bytes()
    assert fast(data) is not None
    assert same(outcome(data), general(data, monkeypatch))


@pytest.mark.parametrize(
    "lines",
    [
        # a whole cell that is a flag, balanced by a cell with two blanks: no longer aligned
        [b"PC,T,BE\t1\tb\t2 b 3 \n"],
        [b"PC,T,BE\t1\t 2 \t3 \n"],  # no blank, then a leading blank: the general path's strip
        [b"PC,T,BE\t 1\t2 \t3 \n"],  # an empty value
        [b"PC,T,BE\t1 \t2 \t3 \n", b"\n", b"PC,T,NL\t1 \t2 \t3 \n"],  # a blank line
        [b"PC,T,BE\t1 \t2 \t3 \r\n", b"PC,T,NL\t1 \t2 \t3 \n"],  # mixed line ends
        [b"PC,T,BE\t1 \t2 \t3 \r\n", b"PC,T,NL\t1 \t2 \t3 \r\n"],  # CRLF
        [b"PC,T,BE\t1 \t2 \t3 "],  # no final line end
        [b"PC,T,B:E\t1 \t 2\t3 \n"],  # a colon in a key, and an empty value
        [b"PC,T,BE\t: \t:: \t3 \n"],
        [b"PC,T,BE\tinf \tnan \t1e400 \n"],
        [b"PC,T,BE\t+.5 \t5. \t1E+3 p\n"],
        [b"PC,T,BE\t\xd9\xa1 \t2 \t3 \n"],  # an Arabic-Indic digit (`\d` matches it)
        [b"PC,T,BE\t1 x\t2 \t3 \n"],
        [b"PC,T,BE\t1 b:\t2 \t3 \n"],
        [b"PC,T\t1 \t2 \t3 \n"],
        [b"\t1 \t2 \t3 \n"],
        [b"PC,T,BE\t1 \t2 \t3 \n", b"PC,T,BE\t4 \t5 \t6 \n"],  # the same series twice
        [b"PC,T,BE\t1 \t2 \t3 \n", b"PC,T,NL\t1 \t2 \n"],  # ragged
        [b"PC,T,BE\t1 \t2 \t3 \t4 \n"],
        [b'PC,T,BE\t"1" \t2 \t3 \n'],
        [b"PC,T,BE\t1\xa0 \t2 \t3 \n"],
        [b"PC,T,BE \xa0\t1 \t2 \t3 \n"],
        [b"PC,T,BE\xa0\t1 \t2 \t3 b\xa0\n"],
        [b"PC,T,BE\t1 \t2 \t3 \x0b\n"],
        [b"PC,T,BE\t1 \t2 \t\xff \n"],
    ],
)
def test_unusual_files_give_what_the_general_path_gives(lines, monkeypatch):
    data = HEADER + b"".join(lines)
    assert same(outcome(data), general(data, monkeypatch))


REGULAR = st.sampled_from(
    [": ", ": u", ": c", "1 ", "-2.5 p", "7.0 b", "3 bp", "0 z", "1e5 ", ".5 "]
)
ODD = st.one_of(
    st.sampled_from(
        [":", "1", " 4", "5  e", "6 e ", "b", "e ", "", " ", "1e400 ", "inf ", "nan ", "5. ", "+1 "]
        + ["1:2 ", "1 x", "1 b c", "2 b 3", "\t", "1 i", "-0 ", "1 :", "1 b\r", "\u00a01 "]
    ),
    st.text(" :.-+0123456789eEbpuxi", max_size=6),
)
KEY = st.builds("PC,{},{}".format, st.sampled_from("TFM"), st.sampled_from(["BE", "NL", "BE2"]))
ODD_KEY = st.sampled_from(["PC,T", "PC,T,B:E", "", " PC,T,BE", "PC,T,BE\u00a0", "PC,T,BE"])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(KEY, st.lists(REGULAR, min_size=3, max_size=3)), min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.one_of(ODD, ODD_KEY)), max_size=2),
    st.sampled_from(["\n", "\r\n"]),
)
def test_any_file_gives_what_the_general_path_gives(rows, changes, newline):
    """Regular files with unique keys, then up to two changes of the key (column 0) or a cell."""
    unique = {k: cells for k, cells in rows}
    lines = [[k, *cells] for k, cells in unique.items()]
    for row, col, text in changes:
        lines[row % len(lines)][col] = text
    data = HEADER + "".join("\t".join(line) + newline for line in lines).encode()
    with pytest.MonkeyPatch.context() as mp:
        assert same(outcome(data), general(data, mp))
