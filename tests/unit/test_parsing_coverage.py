"""Every format: quarterly and monthly periods, every flag and combinations, the producer's
last-update time, and malformed input named by file, line and column."""

from __future__ import annotations

import gzip

import polars as pl
import pytest

from pipelines.sources.eurostat.parsing import KNOWN_FLAGS, ParseError, parse_bytes
from tests.support.eurostat_formats import to_jsonstat, to_sdmx_csv, to_tsv, with_conf

DIMS = ["freq", "unit", "geo"]
FLAGS = ["b", "c", "d", "e", "f", "n", "p", "r", "s", "u", "z", "bp", "ep", "bu", "cd", "bdepu", ""]


def frame(periods: list[str], freq: str) -> pl.DataFrame:
    rows = []
    for i, (geo, period) in enumerate((g, p) for g in ["BE", "BE2"] for p in periods):
        flags = FLAGS[i % len(FLAGS)]
        value = None if "c" in flags or flags == "z" else float(i) + 0.5  # c: no value
        rows.append((freq, "PC", geo, period, value, flags))
    return pl.DataFrame(rows, schema=[*DIMS, "time", "value", "flags"], orient="row")


WRITERS = {
    "bulk-tsv": lambda f: to_tsv(f, DIMS, bulk=True),
    "sdmx-tsv": lambda f: to_tsv(f, DIMS),
    "sdmx-csv": lambda f: to_sdmx_csv(f, DIMS, "lfsq_test", "05/03/26 23:00:00"),
    "json-stat": lambda f: to_jsonstat(f, DIMS, "lfsq_test", "2026-03-05T23:00:00+0100"),
}
QUARTERS = [f"{y}-Q{q}" for y in (2023, 2024) for q in (1, 2, 3, 4)]
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]


@pytest.mark.parametrize("fmt", WRITERS)
@pytest.mark.parametrize(
    ("periods", "freq"), [(QUARTERS, "Q"), (MONTHS, "M"), (["2024-S1", "2024-S2"], "S")]
)
def test_sub_annual_periods_and_every_flag(fmt, periods, freq):
    source = frame(periods, freq)
    parsed = parse_bytes(WRITERS[fmt](source), f"test.{fmt}")
    assert parsed.frame.equals(with_conf(source).sort([*DIMS, "time"]))
    assert set(parsed.frame["time"]) == set(periods)


def test_every_flag_letter_is_covered():
    assert set("".join(FLAGS)) == set(KNOWN_FLAGS) - {"i"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"2024Q1 ", "2024-Q1"),
        (b"2024-Q4", "2024-Q4"),
        (b"2024M07 ", "2024-07"),
        (b"2024-07", "2024-07"),
    ],
)
def test_tsv_period_spellings(raw, expected):
    data = b"freq,geo\\TIME_PERIOD\t" + raw + b"\nQ,BE\t1.5 p\n"
    assert parse_bytes(data, "t.tsv").frame["time"].to_list() == [expected]


def test_last_update_is_kept_where_the_format_has_one():
    source = frame(QUARTERS, "Q")
    csv = parse_bytes(WRITERS["sdmx-csv"](source), "t.csv")
    js = parse_bytes(WRITERS["json-stat"](source), "t.json")
    assert csv.last_update.isoformat() == "2026-03-05T23:00:00"
    assert js.last_update.isoformat() == "2026-03-05T23:00:00+01:00"
    assert parse_bytes(WRITERS["sdmx-tsv"](source), "t.tsv").last_update is None  # none in TSV


SDMX_HEAD = b"DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\r\n"
SDMX_ROW = b"ESTAT:X(1.0),05/03/26 23:00:00,Q,BE,2024-Q1,1.5,p\r\n"
TSV = b"freq,geo\\TIME_PERIOD\t2024-Q1\t2024-Q2\nQ,BE\t1.5\t2.5 p\n"
JSON = to_jsonstat(frame(["2024-Q1"], "Q"), DIMS, "x")


@pytest.mark.parametrize(
    ("name", "data", "line", "column", "words"),
    [
        ("tsv wrong header", b"freq,geo\tTIME\nQ,BE\t1\n", 1, "1", "not of the form"),
        ("tsv ragged", TSV + b"Q,NL\t1.5\n", 3, "3", "ragged"),
        ("tsv non-numeric", TSV + b"Q,NL\t1,5\t2.0\n", 3, "2 (2024-Q1)", "neither a number"),
        (
            "csv non-numeric",
            SDMX_HEAD + SDMX_ROW.replace(b"1.5", b"n/a"),
            2,
            "6 (OBS_VALUE)",
            "not a number",
        ),
        (
            "csv unknown flag",
            SDMX_HEAD + SDMX_ROW.replace(b",p\r", b",w\r"),
            2,
            "7 (OBS_FLAG)",
            "unknown flag",
        ),
        ("csv latin-1", SDMX_HEAD + SDMX_ROW.replace(b"BE", b"Li\xe8ge"), 2, "36", "not UTF-8"),
        ("json invalid", JSON[:-20], 1, None, "invalid JSON"),
        (
            "json unknown flag",
            JSON.replace(b'"status": {"0": "', b'"status": {"0": "w'),
            1,
            None,
            "unknown flag",
        ),
        (
            "json text value",
            JSON.replace(b'"value": {"0": 0.5', b'"value": {"0": "0.5"'),
            1,
            None,
            "not a number",
        ),
        (
            "json latin-1",
            JSON.replace(b'"label": "x"', b'"label": "Li\xe8ge"'),
            1,
            None,
            "not UTF-8",
        ),
        ("empty", b"", 1, "1", "empty"),
        ("blank", b" \n\n", 1, "1", "empty"),
    ],
)
def test_malformed_input_names_file_line_and_column(name, data, line, column, words):
    with pytest.raises(ParseError) as info:
        parse_bytes(data, "delivery.file")
    err = info.value
    assert "delivery.file" in str(err) and words in str(err), str(err)
    assert err.line == line, str(err)
    if column is not None:
        assert err.column == column, str(err)
    else:
        assert err.column, str(err)  # JSON: the character and the JSON path


def test_truncated_gzip_names_where_the_text_stops():
    body = "".join(f"Q,BE{i}\t{i}.5\t{i}.25 p\n" for i in range(4000))
    data = gzip.compress(("freq,geo\\TIME_PERIOD\t2024-Q1\t2024-Q2\n" + body).encode())
    with pytest.raises(ParseError, match="truncated") as info:
        parse_bytes(data[: len(data) // 2], "cut.tsv.gz")
    assert info.value.line > 100 and info.value.column
