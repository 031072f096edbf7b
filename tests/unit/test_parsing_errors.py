"""Malformed input gets a ParseError naming file, line and column; nothing is returned."""

from __future__ import annotations

import gzip

import pytest

from pipelines.sources.eurostat.parsing import ParseError, parse_bytes

GOOD = b"unit,sex,geo\\time\t2015 \t2014 \nPC,T,BE2\t7.0 \t6.9 b\nPC,T,BE\t6.9 \t: u\n"


def parse_error(data: bytes) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse_bytes(data, "bad.tsv")
    return info.value


def test_good_input_parses():
    assert parse_bytes(GOOD, "good.tsv").rows == 4


def test_wrong_header():
    err = parse_error(b"unit,sex,geo\t2015 \nPC,T,BE2\t7.0 \n")
    assert err.line == 1 and err.column == "1" and "bad.tsv" in str(err)


def test_header_with_bad_period():
    err = parse_error(b"unit,geo\\time\t2015 \tyear \nPC,BE\t1 \t2 \n")
    assert (err.line, err.column) == (1, "3")


def test_ragged_row_short():
    err = parse_error(GOOD + b"PC,T,NL\t7.0\n")
    assert err.line == 4 and err.column == "3"


def test_ragged_row_long():
    err = parse_error(GOOD + b"PC,T,NL\t7.0 \t1 \t2 \n")
    assert err.line == 4


def test_series_key_with_wrong_number_of_codes():
    err = parse_error(GOOD + b"PC,NL\t7.0 \t1 \n")
    assert err.line == 4 and err.column == "1"


def test_non_numeric_value():
    err = parse_error(b"unit,geo\\time\t2015 \t2014 \nPC,BE\t1.0 \tabc \n")
    assert err.line == 2 and err.column.startswith("3") and "abc" in str(err)


def test_unknown_flag():
    err = parse_error(b"unit,geo\\time\t2015 \t2014 \nPC,BE\t1.0 x\t2 \n")
    assert err.line == 2 and err.column.startswith("2") and "unknown flag" in str(err)


def test_a_third_word_in_a_cell_is_refused_and_two_blanks_keep_the_flags():
    """The general path splits a cell at its first blank only: `2 b 3` is not dropped to
    `2 b`, and `1  b` (two blanks) keeps its flag (both were read wrongly before)."""
    err = parse_error(b"unit,geo\\time\t2015 \t2014 \nPC,BE\t1.0 \t2 b 3\n")
    assert (err.line, err.column) == (2, "3 (2014)") and "'b3'" in str(err)
    parsed = parse_bytes(b"unit,geo\\time\t2015 \t2014 \nPC,BE\t1  b\t:  u\n", "x.tsv")
    assert parsed.frame.select("value", "flags").rows() == [(None, "u"), (1.0, "b")]


def test_truncated_gzip():
    data = gzip.compress(GOOD * 50)
    err = parse_error(data[: len(data) // 2])
    assert "truncated" in str(err)


def test_empty_file():
    assert parse_error(b"").line == 1
    assert "empty" in str(parse_error(b"   \n"))


def test_header_only_is_zero_observations():
    """Eurostat leaves out series without data: the header alone is an answer that matches no
    data (tests/unit/test_parsing_confidential.py), not a malformed file."""
    parsed = parse_bytes(b"unit,geo\\time\t2015 \n", "empty.tsv")
    assert parsed.rows == 0 and parsed.warnings[0].startswith("no observations")


def test_wrong_encoding_names_line():
    err = parse_error(b"unit,geo\\time\t2015 \nPC,BE\t1.0 \nPC,Li\xe8ge\t2.0 \n")
    assert err.line == 3 and "UTF-8" in str(err)


def test_unrecognised_format():
    err = parse_error(b"just,some,csv\n1,2,3\n")
    assert "unrecognised format" in str(err)


def test_sdmx_csv_non_numeric_and_missing_column():
    head = b"DATAFLOW,LAST UPDATE,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\r\n"
    err = parse_error(head + b"ESTAT:X(1.0),01/01/26 11:00:00,A,BE,2020,abc,\r\n")
    assert err.line == 2 and "OBS_VALUE" in err.column
    err = parse_error(b"DATAFLOW,LAST UPDATE,freq,geo,OBS_VALUE\r\nESTAT:X(1.0),x,A,BE,1\r\n")
    assert "TIME_PERIOD" in str(err)


def test_jsonstat_errors():
    assert "invalid JSON" in str(parse_error(b'{"class": "dataset", '))
    err = parse_error(
        b'{"class": "dataset", "id": ["geo", "time"], "size": [1, 1], '
        b'"dimension": {"geo": {"category": {"index": ["BE"]}}, "time": {"category": {"index": ["2020"]}}}, '
        b'"value": {"5": 1.0}}'
    )
    assert "outside" in str(err)
