"""The current API's answers: confidentiality apart from the flags (TSV `: @C`, SDMX-CSV
`CONF_STATUS`, JSON-stat `|C`) read into `conf_status` the same way in every format, and an
answer that matches no data read as zero observations. Fixtures written by us from Eurostat's
documented layouts (docs/architecture.md#flags-and-confidentiality)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.sources.eurostat.parsing import (
    CONFIDENTIAL_CODES,
    NO_DATA,
    ParseError,
    eurostat_tsv,
    parse_bytes,
    parse_file,
)
from pipelines.sources.eurostat.parsing.rawbytes import first_line
from tests.support.eurostat_formats import to_jsonstat, to_sdmx_csv, to_tsv

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CURRENT = ["confidential_current_api.tsv", "confidential.sdmx.csv", "confidential_jsonstat.json"]
DIMS = ["freq", "unit", "sex", "age", "geo"]
#: every cell of the three fixtures: (geo, period) -> (value, flags, conf_status)
CELLS = {
    ("BE", "2022"): (71.9, "", ""),
    ("BE", "2023"): (72.1, "", ""),
    ("BE", "2024"): (None, "c", "C"),
    ("BE2", "2022"): (76.8, "b", ""),
    ("BE2", "2023"): (None, "pc", "C"),
    ("BE2", "2024"): (77.9, "p", ""),
    ("BE21", "2022"): (75.0, "", ""),
    ("BE21", "2023"): (None, "u", ""),
    ("BE21", "2024"): (None, "c", "D"),
}
SDMX_HEAD = b"DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\r\n"


def cells(frame: pl.DataFrame) -> dict:
    return {
        (r["geo"], r["time"]): (r["value"], r["flags"], r["conf_status"])
        for r in frame.iter_rows(named=True)
    }


@pytest.mark.parametrize("name", CURRENT)
def test_confidential_cells_in_each_current_format(name):
    parsed = parse_file(FIXTURES / name)
    assert parsed.dimensions == DIMS
    assert cells(parsed.frame) == CELLS
    assert parsed.warnings == []


def test_the_current_formats_give_the_same_observations():
    first, *others = [parse_file(FIXTURES / name).frame for name in CURRENT]
    for frame in others:
        assert frame.schema == first.schema and frame.equals(first)


def test_old_bulk_files_mark_confidentiality_with_the_flag_c():
    """The older layout has no status of its own: `c` is read as status C, whatever code the
    current API gives (D here), and value and flags are those of the current formats."""
    old = (
        b"unit,sex,age,geo\\time\t2024 \t2023 \t2022 \n"
        b"PC,T,Y20-64,BE\t: c\t72.1 \t71.9 \n"
        b"PC,T,Y20-64,BE2\t77.9 p\t: pc\t76.8 b\n"
        b"PC,T,Y20-64,BE21\t: c\t: u\t75.0 \n"
    )
    parsed = parse_bytes(old, "old.tsv")
    assert parsed.format == "eurostat-tsv-bulk"
    expected = {
        key: (value, flags, "C" if conf in CONFIDENTIAL_CODES else "")
        for key, (value, flags, conf) in CELLS.items()
    }
    assert cells(parsed.frame) == expected


def test_the_current_tsv_layout_takes_the_fast_path():
    data = (FIXTURES / "confidential_current_api.tsv").read_bytes()
    dims, periods, _ = eurostat_tsv._parse_header(first_line(data), "x.tsv")
    fast = eurostat_tsv._parse_regular(data, dims, periods)
    assert fast is not None
    assert set(zip(fast["flags"], fast["conf_status"], strict=True)) == {
        ("", ""),
        ("", "C"),
        ("b", ""),
        ("p", "C"),
        ("p", ""),
        ("u", ""),
        ("", "D"),
    }


@pytest.mark.parametrize(
    "cell",
    [b": @C", b":@C", b": p @C", b"12.5 p@C", b": pc", b": c@C", b"12.5 c", b"12.5  c", b":  pc"],
)
def test_tsv_cell_spellings_of_a_confidential_cell(cell):
    data = b"freq,geo\\TIME_PERIOD\t2024 \nA,BE2\t" + cell + b"\n"
    parsed = parse_bytes(data, "t.tsv")
    [row] = parsed.frame.iter_rows(named=True)
    assert row["value"] is None and "c" in row["flags"] and row["conf_status"] == "C"
    dropped = [w for w in parsed.warnings if "carried a value" in w]
    assert bool(dropped) == cell.startswith(b"12.5")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("tsv", b"freq,geo\\TIME_PERIOD\t2024 \nA,BE2\t12.5 @C\n"),
        ("csv", SDMX_HEAD + b"ESTAT:X(1.0),21/07/26 11:00:00,A,BE2,2024,12.5,,C\r\n"),
        (
            "json",
            to_jsonstat(
                pl.DataFrame(
                    {"freq": ["A"], "geo": ["BE2"], "time": ["2024"], "value": [12.5]}
                ).with_columns(flags=pl.lit(""), conf_status=pl.lit("")),
                ["freq", "geo"],
                "x",
            ).replace(b'"status": {}', b'"status": {"0": "|C"}'),
        ),
    ],
)
def test_a_confidential_cell_has_no_value(name, data):
    parsed = parse_bytes(data, f"t.{name}")
    [row] = parsed.frame.iter_rows(named=True)
    assert (row["value"], row["flags"], row["conf_status"]) == (None, "c", "C")
    [warning] = parsed.warnings
    assert "1 confidential cell(s) carried a value, dropped" in warning
    assert "geo=BE2" in warning and "time=2024" in warning


def test_free_status_is_not_confidential():
    row = b"ESTAT:X(1.0),21/07/26 11:00:00,A,BE2,2024,12.5,p,F\r\n"
    [obs] = parse_bytes(SDMX_HEAD + row, "t.csv").frame.iter_rows(named=True)
    assert (obs["value"], obs["flags"], obs["conf_status"]) == (12.5, "p", "F")


@pytest.mark.parametrize(
    ("data", "line", "column", "words"),
    [
        (b"freq,geo\\TIME_PERIOD\t2024 \nA,BE2\t: @X\n", 2, "2 (2024)", "status 'X'"),
        (b"freq,geo\\TIME_PERIOD\t2024 \nA,BE2\t: @c\n", 2, "2 (2024)", "status 'c'"),
        (
            SDMX_HEAD + b"ESTAT:X(1.0),21/07/26 11:00:00,A,BE2,2024,,,Z\r\n",
            2,
            "8 (CONF_STATUS)",
            "status 'Z'",
        ),
        (
            SDMX_HEAD + b"ESTAT:X(1.0),21/07/26 11:00:00,A,BE2,2024,,c,F\r\n",
            2,
            "8 (CONF_STATUS)",
            "contradicts",
        ),
    ],
)
def test_unknown_or_contradictory_status_names_line_and_column(data, line, column, words):
    with pytest.raises(ParseError) as info:
        parse_bytes(data, "bad.file")
    err = info.value
    assert words in str(err) and (err.line, err.column) == (line, column), str(err)


def test_unknown_status_in_jsonstat_names_the_status_entry():
    data = (FIXTURES / "confidential_jsonstat.json").read_bytes().replace(b'"|D"', b'"|Q"')
    with pytest.raises(ParseError, match="status 'Q'") as info:
        parse_bytes(data, "bad.json")
    assert "status[8]" in info.value.column


# --- answers that match no data ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("tsv", b"freq,unit,sex,age,geo\\TIME_PERIOD\n", "header only"),
        ("tsv with periods", b"freq,unit,sex,age,geo\\TIME_PERIOD\t2024 \n", "header only"),
        ("csv", (FIXTURES / "no_data.sdmx.csv").read_bytes(), "header only"),
        ("json", (FIXTURES / "no_data_jsonstat.json").read_bytes(), "dimension time of size 0"),
    ],
)
def test_an_answer_that_matches_no_data_is_zero_observations(name, data, why):
    parsed = parse_bytes(data, f"empty.{name}", "lfst_r_lfe2emprt")
    assert parsed.rows == 0
    assert parsed.dimensions == DIMS
    assert parsed.frame.columns == [*DIMS, "time", "value", "flags", "conf_status"]
    assert parsed.frame.schema["value"] == pl.Float64
    assert parsed.warnings == [f"{NO_DATA} ({why})"]


def test_the_writers_empty_answers_parse_to_zero_observations():
    frame = parse_file(FIXTURES / "confidential.sdmx.csv").frame.clear()
    for data in (
        to_tsv(frame, DIMS),
        to_sdmx_csv(frame, DIMS, "x"),
        to_jsonstat(frame, DIMS, "x", asked={"geo": ["BE", "BE2"]}),
    ):
        parsed = parse_bytes(data, "empty")
        assert parsed.rows == 0 and parsed.warnings[0].startswith(NO_DATA)


def test_a_size_0_dimension_with_values_is_malformed():
    data = (
        (FIXTURES / "no_data_jsonstat.json")
        .read_bytes()
        .replace(b'"value": {}', b'"value": {"0": 1.5}')
    )
    with pytest.raises(ParseError, match="holds entries but a dimension has size 0"):
        parse_bytes(data, "bad.json")


def test_a_header_with_data_but_no_periods_is_still_an_error():
    with pytest.raises(ParseError, match="no period columns"):
        parse_bytes(b"unit,geo\\time\nPC,BE\n", "bad.tsv")
